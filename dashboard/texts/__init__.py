"""Page-specific UI strings, one module per page: `STRINGS = {"vi": {...}, "en": {...}}`.

`dashboard.i18n` merges every module of this package into its table, so each
page keeps its words next to its name and the language check covers them all.
"""
