"""Chinese input formats: ISO dates first, the only value `<input type="date">` accepts.

Django's zh_Hans formats put "%Y/%m/%d" first, so a date field rendered its initial value as
2023/03/01 and the browser's date picker showed it empty (issue 10, 9: 入职日期 "not prefilled").
The other formats are still accepted when typed.
"""

DATE_INPUT_FORMATS = ["%Y-%m-%d", "%Y/%m/%d", "%Y年%n月%j日"]
DATETIME_INPUT_FORMATS = [
    "%Y-%m-%d %H:%M",
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M:%S.%f",
    "%Y/%m/%d %H:%M",
    "%Y/%m/%d %H:%M:%S",
    "%Y/%m/%d %H:%M:%S.%f",
    "%Y年%n月%j日 %H:%M",
    "%Y年%n月%j日 %H:%M:%S",
]
