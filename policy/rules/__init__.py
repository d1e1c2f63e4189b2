"""The guide's rules, one module per group of rules.md (sections 2–6).

Every rule is a function `(facts, ctx) -> Check` named after its rule ID; a fact the rule needs
and that is missing makes it fail with "not provided".
"""
