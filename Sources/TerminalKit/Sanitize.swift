// The sanitiser lives in TextSafety, shared with the engine: one home for the rule.
@_exported import TextSafety
