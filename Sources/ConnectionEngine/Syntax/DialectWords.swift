/// Non-reserved words of the dialect: shown by the masker and named in parse errors.
/// Any other unreserved word might be a mistyped secret.
let dialectWords: [String] = [
  "CONNECTION", "TEMPORARY", "SYSTEM", "IF", "EXISTS", "NOT", "OR", "REPLACE", "COMMENT", "WITH", "SET",
  "RESET", "RENAME", "TO", "SHOW", "CONNECTIONS", "FROM", "IN", "LIKE", "ILIKE", "DESCRIBE", "DESC",
  "EXTENDED", "CREATE", "ALTER", "DROP", "USE", "CATALOG", "CATALOGS", "DATABASE", "DATABASES", "CURRENT",
  "RESTRICT", "CASCADE", "SELECT", "TABLE", "TABLES", "VIEW", "FUNCTION", "MODEL",
]

let dialectWordTable = WordTable(dialectWords)
