CREATE CONNECTION c1 WITH ('k'='v') /* unterminated
