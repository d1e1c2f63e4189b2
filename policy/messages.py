# ruff: noqa: E501
"""Messages of the rules, Chinese first with English beside (CONTRIBUTING: policy keeps its own tables).

`render(key, lang, values)` fills the template of `key` in `lang` ("zh" or "en") with `values`;
enumeration codes (kinds, hukou, degrees, titles) are shown with their labels in that language and
lists are joined with commas.
"""

from __future__ import annotations

from string import Formatter
from typing import Any

MESSAGES: dict[str, tuple[str, str]] = {
    "not_provided": ("未提供：{fields}", "not provided: {fields}"),
    "not_enterprise": (
        "不适用：单位类型为{kind}，本条仅适用于企业",
        "not applicable: the employer is a {kind}, not an enterprise",
    ),
    "year_missing": (
        "{year}年未提供（门槛 {threshold} 元，差额 {shortfall} 元）",
        "{year} not provided (threshold {threshold} yuan, shortfall {shortfall} yuan)",
    ),
    "year_short": (
        "{year}年 {actual} 元，低于门槛 {threshold} 元，差额 {shortfall} 元",
        "{year}: {actual} yuan, below the threshold of {threshold} yuan, shortfall {shortfall} yuan",
    ),
    # ORG-*
    "ORG-LEGAL-ENTITY.pass": ("申请单位为具有法人资格的{kind}", "the employer is a legal person ({kind})"),
    "ORG-LEGAL-ENTITY.fail": (
        "申请单位类型为{kind}，不具有法人资格（须为企业、事业单位、民办非企业单位或社会团体）",
        "the employer ({kind}) is not a legal person (enterprise, public institution, private non-enterprise unit or social organisation)",
    ),
    "ORG-LEGAL-ENTITY.review": (
        "申请单位为{kind}（合伙制，不具有法人资格）；指南列举“企事业单位、民办非企业单位、社会团体等”，并在申报条件5中列明律师事务所、会计师事务所等，需人工审核",
        "the employer is a {kind} (a partnership, not a legal person); the guide's list ends in 'and others' "
        "and clause 5 names law and accounting firms: needs review",
    ),
    "ORG-LEGAL-ENTITY.receive_only": (
        "仅具有接收权限的单位接收已持证人员，不适用单位条件（单位变更 注意事项3）",
        "a receive-only employer receiving an existing holder: the employer conditions do not apply",
    ),
    "freelancer_relaxed": (
        "{original}；申报条件8（自由职业者、个体工商户等）且该条件满足，本项需人工审核",
        "{original}; clause 8 (freelancers and individual business owners) is claimed and holds: needs review",
    ),
    "ORG-HAIDIAN.pass": ("申请单位注册地在海淀区", "the employer is registered in Haidian"),
    "ORG-HAIDIAN.fail": (
        "申请单位注册地为{registered_district}，不在海淀区",
        "the employer is registered in {registered_district}, not in Haidian",
    ),
    "ORG-TAX-TENURE.pass": (
        "申请单位自 {tax_registered_on} 起在海淀区登记纳税，{reached_on} 满{months}个月，受理日 {as_of} 已满足",
        "the employer has paid tax in Haidian since {tax_registered_on}; {months} months were reached on {reached_on}, on or before {as_of}",
    ),
    "ORG-TAX-TENURE.review": (
        "申请单位自 {tax_registered_on} 起在海淀区登记纳税，受理日 {as_of} 满{actual_months}个月，"
        "距{months}个月尚差{short_months}个月（{reached_on} 满）；指南为“原则上”，需人工审核",
        "the employer has paid tax in Haidian since {tax_registered_on}: {actual_months} months on {as_of}, "
        "{short_months} short of {months} (reached on {reached_on}); the guide says 'in principle': needs review",
    ),
    "ORG-CAPITAL.pass": (
        "注册资本 {actual} 元，不低于 {threshold} 元",
        "registered capital {actual} yuan is at least {threshold} yuan",
    ),
    "ORG-CAPITAL.fail": (
        "注册资本 {actual} 元，低于门槛 {threshold} 元，差额 {shortfall} 元",
        "registered capital {actual} yuan is below the threshold of {threshold} yuan, shortfall {shortfall} yuan",
    ),
    "ORG-ANNUAL-TAX.pass": (
        "年纳税额 {actual} 元，不低于 {threshold} 元",
        "annual tax {actual} yuan is at least {threshold} yuan",
    ),
    "ORG-ANNUAL-TAX.review": (
        "年纳税额 {actual} 元，低于门槛 {threshold} 元，差额 {shortfall} 元；指南为“原则上不低于”，需人工审核",
        "annual tax {actual} yuan is below the threshold of {threshold} yuan, shortfall {shortfall} yuan; "
        "the guide says 'in principle': needs review",
    ),
    "ORG-ANNUAL-TAX.review_growth": (
        "年纳税额 {actual} 元，低于门槛 {threshold} 元，差额 {shortfall} 元；成长型科技类企业可适当放宽，需人工审核",
        "annual tax {actual} yuan is below the threshold of {threshold} yuan, shortfall {shortfall} yuan; "
        "a growth-type tech enterprise may be relaxed: needs review",
    ),
    "ORG-PERMISSION.pass": ("申请单位具有新办业务权限", "the employer may file new applications"),
    "ORG-PERMISSION.fail": (
        "申请单位仅具有接收已持证员工的权限（承诺书），不能办理新办业务",
        "the employer only has receive-only permission (commitment letter) and cannot file new applications",
    ),
    "ORG-PERMISSION.receive": (
        "接收已持证员工：完整权限或仅接收权限均可",
        "receiving an existing holder: full or receive-only permission both allow it",
    ),
    "ORG-SANCTION.pass": (
        "申请单位无黑名单、取消或压减办理资格的记录",
        "the employer is not blacklisted and may file",
    ),
    "ORG-SANCTION.fail": (
        "申请单位已被列入黑名单或取消/压减办理资格，不能申报",
        "the employer is blacklisted or its filing rights are cancelled or exhausted",
    ),
    # APP-*
    "APP-HUKOU.pass": ("申请人为非京籍户口", "the applicant's household registration is outside Beijing"),
    "APP-HUKOU.collective": (
        "申请人为{hukou}，不在受理范围之内（新办 注意事项2）",
        "the applicant has a {hukou}, which is not accepted",
    ),
    "APP-HUKOU.fail": ("申请人已有{hukou}，不符合申请条件", "the applicant already has a {hukou}"),
    "APP-RETIREMENT.pass": (
        "法定退休年龄 {years}岁{months}个月，于 {retirement_date} 达到，受理日 {as_of} 未达到",
        "statutory retirement age {years} years {months} months is reached on {retirement_date}, after {as_of}",
    ),
    "APP-RETIREMENT.fail": (
        "法定退休年龄 {years}岁{months}个月，已于 {retirement_date} 达到（受理日 {as_of}）",
        "statutory retirement age {years} years {months} months was reached on {retirement_date} (as of {as_of})",
    ),
    "APP-TENURE.pass": (
        "自 {employed_since} 起在申请单位工作，{reached_on} 满{months}个月，受理日 {as_of} 已满足",
        "employed since {employed_since}; {months} months were reached on {reached_on}, on or before {as_of}",
    ),
    "APP-TENURE.review": (
        "自 {employed_since} 起在申请单位工作，受理日 {as_of} 满{actual_months}个月，距{months}个月尚差{short_months}个月"
        "（{reached_on} 满）；指南为“一般应”，需人工审核",
        "employed since {employed_since}: {actual_months} months on {as_of}, {short_months} short of {months} "
        "(reached on {reached_on}); the guide says 'generally': needs review",
    ),
    "APP-RESIDENCE.pass": ("在京有合法稳定住所（{kind}）", "a lawful stable residence in Beijing ({kind})"),
    "APP-RESIDENCE.outside": ("住所不在北京市行政区域内", "the residence is not in Beijing"),
    "APP-RESIDENCE.not_residential": (
        "住所用途不是住宅（办公、酒店及商用房屋不属于住宅）",
        "the residence is not residential (offices, hotels and commercial premises are not)",
    ),
    "APP-SAME-EMPLOYER.pass": (
        "劳动合同签订、个税扣缴和社保缴纳均为申请单位",
        "the labour contract, tax withholding and social insurance are all with the applying employer",
    ),
    "APP-SAME-EMPLOYER.fail": (
        "以下事项不是由申请单位办理：{which}（不得由第三方代扣代缴）",
        "not with the applying employer: {which} (no third-party agents)",
    ),
    "APP-SOCIAL-INSURANCE.pass": (
        "申请单位足额并连续缴纳社会保险",
        "social insurance is paid in full and continuously by the employer",
    ),
    "APP-SOCIAL-INSURANCE.fail": (
        "社会保险未由申请单位足额并连续缴纳",
        "social insurance is not paid in full and continuously by the employer",
    ),
    "APP-SANCTION.pass": (
        "申请人无黑名单或取消申报资格记录",
        "the applicant is not blacklisted or disqualified",
    ),
    "APP-SANCTION.fail": (
        "申请人已被列入黑名单或取消申报资格",
        "the applicant is blacklisted or disqualified",
    ),
    "APP-INCOME-INTEGRITY.pass": (
        "{from} 至 {to} 连续{months}个月应税收入正常缴纳，无更正",
        "income from {from} to {to} ({months} consecutive months) is paid normally and never corrected",
    ),
    "APP-INCOME-INTEGRITY.missing": (
        "应税收入不连续，缺少月份：{list}",
        "income is not consecutive; missing months: {list}",
    ),
    "APP-INCOME-INTEGRITY.zero": (
        "以下月份应税收入为零，未正常缴纳：{list}",
        "no income was paid in: {list}",
    ),
    "APP-INCOME-INTEGRITY.corrected": (
        "以下月份应税收入有更正，更正无效：{list}",
        "income was corrected (corrections are void) in: {list}",
    ),
    "APP-INCOME-INTEGRITY.corrected_review": (
        "以下月份应税收入有更正，更正无效，按原申报金额计算，需人工审核：{list}",
        "income was corrected in: {list}; corrections are void, the original declaration counts: needs review",
    ),
    "APP-INCOME-INTEGRITY.duplicate": ("以下月份重复填报：{list}", "months listed twice: {list}"),
    "APP-INCOME-RECENT.pass": (
        "{from} 至 {to} 应税收入合计 {actual_total} 元，不低于门槛 {threshold_total} 元（{months}个月 × {monthly_threshold} 元，{multiple}倍）",
        "income from {from} to {to} totals {actual_total} yuan, at least the threshold of {threshold_total} yuan "
        "({months} months × {monthly_threshold} yuan, {multiple}×)",
    ),
    "APP-INCOME-RECENT.fail": (
        "{from} 至 {to} 应税收入合计 {actual_total} 元，低于门槛 {threshold_total} 元（{months}个月 × {monthly_threshold} 元，{multiple}倍），差额 {shortfall} 元",
        "income from {from} to {to} totals {actual_total} yuan, below the threshold of {threshold_total} yuan "
        "({months} months × {monthly_threshold} yuan, {multiple}×), shortfall {shortfall} yuan",
    ),
    "APP-INCOME-RECENT.stale": (
        "应税收入只更新到 {to}，最近月份须为 {expected_last_month} 之一（受理日 {as_of}）；门槛 {threshold_total} 元，实际 {actual_total} 元，差额 {shortfall} 元",
        "income records end in {to}; the latest month must be one of {expected_last_month} (as of {as_of}); "
        "threshold {threshold_total} yuan, actual {actual_total} yuan, shortfall {shortfall} yuan",
    ),
    "APP-INCOME-RECENT.authority_delay": (
        "{from} 至 {to} 应税收入合计 {actual_total} 元；按受理日 {as_of} 未达到要求（门槛 {threshold_total} 元），"
        "按提交日 {submitted_on} 达到，差别仅因受理晚于提交，需人工审核",
        "income from {from} to {to} totals {actual_total} yuan: short on the acceptance day {as_of} "
        "(threshold {threshold_total} yuan) but sufficient on the submission day {submitted_on}; "
        "the difference comes only from the time between them: needs review",
    ),
    "annual_authority_delay": (
        "按受理日 {as_of} 计算的近三年收入未全部达到{multiple}倍门槛，按提交日 {submitted_on} 计算的近三年均已达到，"
        "差别仅因受理晚于提交，需人工审核",
        "the three years before the acceptance day {as_of} do not all meet {multiple}×, those before the "
        "submission day {submitted_on} do: the difference comes only from the time between them: needs review",
    ),
    # clauses
    "CL1-DEGREE-EXPERIENCE.pass": (
        "{degree}学位，工作经历 {experience_months} 个月（须 {required_months} 个月以上）",
        "{degree} degree and {experience_months} months of work experience (at least {required_months})",
    ),
    "CL1-DEGREE-EXPERIENCE.degree": (
        "学历为{degree}，须为学士（含）以上学位",
        "degree {degree}: a bachelor's degree or higher is required",
    ),
    "CL1-DEGREE-EXPERIENCE.experience": (
        "工作经历 {experience_months} 个月，不足 {required_months} 个月",
        "{experience_months} months of work experience, fewer than {required_months}",
    ),
    "CL2-TITLE.pass": ("具有{title}专业技术职务", "professional title: {title}"),
    "CL2-TITLE.equivalent": (
        "具有相当资格、资质；是否与中级（含）以上专业技术职务相当需人工审核",
        "an equivalent qualification: whether it matches an intermediate title or higher needs review",
    ),
    "CL2-TITLE.fail": (
        "专业技术职务为{title}，须为中级（含）以上或相当资格、资质",
        "title {title}: intermediate or higher (or an equivalent qualification) is required",
    ),
    "CL3-AWARD.pass": ("获得符合条件的奖项", "a qualifying award is held"),
    "CL3-AWARD.fail": (
        "无国家级奖项，也无国家部委或本市的二等奖以上奖项（须为国家和本市的奖项）",
        "no national award and no second prize or higher of a national ministry or of Beijing",
    ),
    "CL3-AWARD.region_unknown": (
        "省级奖项未说明是否为本市（北京市）奖项；指南为“国家和本市”奖项，需人工审核",
        "a provincial award without its region: the guide counts awards of the State and of Beijing: needs review",
    ),
    "CL4-INNOVATION-INCOME.pass": (
        "科技创新主体，近三年每年应税收入均达到{multiple}倍门槛",
        "innovation entity; income in each of the last three years meets {multiple}×",
    ),
    "CL4-INNOVATION-INCOME.fail": (
        "近三年应税收入未达到{multiple}倍门槛：{details}",
        "income below {multiple}× in: {details}",
    ),
    "CL4-INNOVATION-INCOME.entity": (
        "申请单位不是科技创新主体",
        "the employer is not a science and technology innovation entity",
    ),
    "CL5-SERVICE-INCOME.pass": (
        "科技创新服务主体，近三年每年应税收入均达到{multiple}倍门槛",
        "innovation service entity; income in each of the last three years meets {multiple}×",
    ),
    "CL5-SERVICE-INCOME.fail": (
        "近三年应税收入未达到{multiple}倍门槛：{details}",
        "income below {multiple}× in: {details}",
    ),
    "CL5-SERVICE-INCOME.entity": (
        "申请单位不是科技创新服务主体",
        "the employer is not a science and technology innovation service entity",
    ),
    "CL6-IP.fail": (
        "第二作者（含）以上的知识产权：发明专利 {invention_patents} 项，其他专利 {other_patents} 项，软件著作权 {software_copyrights} 项，未达到1项发明专利或{required_other}项其他专利/软件著作权",
        "as first or second author: {invention_patents} invention patents, {other_patents} other patents, "
        "{software_copyrights} software copyrights; 1 invention patent or {required_other} others are required",
    ),
    "CL6-IP.not_commercialised": ("知识产权未在京落地转化", "the IP is not commercialised in Beijing"),
    "CL6-IP.review": (
        "知识产权条件满足且已在京落地转化；是否取得较好经济社会效益需人工审核",
        "the IP condition holds and the IP is commercialised in Beijing; whether the results are good needs review",
    ),
    "CL7-STARTUP.none": ("未申报创新创业团队信息", "no startup is declared"),
    "CL7-STARTUP.route": (
        "自主投入 {self_investment_3y} 元（须超过 {self_investment_threshold} 元，差额 {self_investment_shortfall} 元）、股权融资 {equity_financing} 元（须大于 {equity_financing_threshold} 元，差额 {equity_financing_shortfall} 元）、近三年年均纳税 {average_annual_tax_3y} 元（须 {average_annual_tax_threshold} 元以上，差额 {average_annual_tax_shortfall} 元），均未达到",
        "self-investment {self_investment_3y} yuan (must exceed {self_investment_threshold}, shortfall {self_investment_shortfall}), "
        "equity financing {equity_financing} yuan (must exceed {equity_financing_threshold}, shortfall {equity_financing_shortfall}), "
        "average annual tax {average_annual_tax_3y} yuan (at least {average_annual_tax_threshold}, shortfall {average_annual_tax_shortfall}): none met",
    ),
    "CL7-STARTUP.shareholder": (
        "持股 {shareholding_percent}%（须不低于 {shareholding_threshold}%），股东排名第 {shareholder_rank} 位（须前 {shareholder_rank_limit} 位）",
        "shareholding {shareholding_percent}% (at least {shareholding_threshold}%), shareholder rank {shareholder_rank} (top {shareholder_rank_limit})",
    ),
    "CL7-STARTUP.pass": (
        "创新创业团队条件满足（{routes_met}），持股及排名符合要求",
        "startup condition met ({routes_met}); shareholding and rank qualify",
    ),
    "CL8-FREELANCER.fail": (
        "近三年每年纳税额须 {threshold} 元以上：{details}",
        "tax of at least {threshold} yuan is required each year: {details}",
    ),
    "CL8-FREELANCER.authority_delay": (
        "按提交日 {submitted_on} 计算的近三年每年纳税额均达到 {threshold} 元（按受理日 {as_of} 未全部达到，差别仅因受理晚于提交）；"
        "贡献是否突出需人工审核",
        "tax of at least {threshold} yuan in each of the three years before the submission day {submitted_on} "
        "(not all before the acceptance day {as_of}, only because of the time between them); "
        "the outstanding contribution needs review",
    ),
    "CL8-FREELANCER.review": (
        "近三年每年纳税额均达到 {threshold} 元；贡献是否突出需人工审核",
        "tax of at least {threshold} yuan in each of the last three years; the outstanding contribution needs review",
    ),
    # documents
    "DOC-VALIDITY.none": ("无带有效期限的材料，无需判断", "no document with an end date: nothing to judge"),
    "DOC-VALIDITY.pass": (
        "带有效期限的材料均至少有效至 {valid_until_at_least}（提交日 {submitted_on} 后{months}个月）",
        "every document with an end date runs at least until {valid_until_at_least} ({months} months after {submitted_on})",
    ),
    "DOC-VALIDITY.expired": (
        "以下材料在提交日 {submitted_on} 已过有效期：{list}（材料应真实有效）",
        "documents already expired on the submission day {submitted_on}: {list}",
    ),
    "DOC-VALIDITY.review": (
        "以下材料有效期不足{months}个月：{list}；一般应至少有效至 {valid_until_at_least}（提交日 {submitted_on} 后{months}个月），需人工审核",
        "documents running less than {months} months: {list}; generally they should run until at least "
        "{valid_until_at_least} ({months} months after {submitted_on}): needs review",
    ),
    "DOC-RECENCY.none": (
        "无须判断日期的申请材料（证书类材料不按日期判断）",
        "no material produced for this application with an issue date (certificates are not judged by date)",
    ),
    "DOC-RECENCY.year": (
        "以下材料须按申报年度（{year}年）更新：{list}",
        "materials to be renewed for the year of submission ({year}): {list}",
    ),
    "DOC-RECENCY.pass": (
        "材料日期均在 {issued_on_at_least} 至 {submitted_on} 之间（{months}个月以内）",
        "every material is dated between {issued_on_at_least} and {submitted_on} (within {months} month)",
    ),
    "DOC-RECENCY.fail": (
        "以下材料日期不在 {issued_on_at_least} 至 {submitted_on} 之间：{list}",
        "materials not dated between {issued_on_at_least} and {submitted_on}: {list}",
    ),
    "CHILD-MINOR.none": ("无随往子女", "no accompanying child"),
    "CHILD-MINOR.pass": (
        "随往子女均未成年且为非京籍",
        "every accompanying child is a minor without Beijing hukou",
    ),
    "CHILD-MINOR.adult": (
        "第 {child} 个随往子女（出生于 {birth_date}）已于 {adult_on} 成年（受理日 {as_of}）",
        "accompanying child {child} (born {birth_date}) came of age on {adult_on} (as of {as_of})",
    ),
    "CHILD-MINOR.beijing": (
        "第 {child} 个随往子女已有北京户口",
        "accompanying child {child} already has a Beijing hukou",
    ),
    "CHILD-MINOR.custody": (
        "第 {child} 个随往子女：父母离异，须由申请人单独抚养",
        "accompanying child {child}: the parents are divorced and the applicant must have sole custody",
    ),
    "CHILD-MINOR.custody_unknown": (
        "第 {child} 个随往子女：父母离异，未说明是否由申请人单独抚养，需人工审核",
        "accompanying child {child}: the parents are divorced and sole custody is not stated: needs review",
    ),
    "CHILD-MINOR.not_judged": (
        "本业务不新增随往子女，不判断子女条件（已成年子女不随往，不影响本业务）",
        "no child is added by this business: the child conditions are not judged (a child who came of age simply leaves)",
    ),
    # renewal and change
    "REN-EXPIRED.pass": (
        "证件有效期至 {expires_on}，受理日 {as_of} 尚未过期",
        "the permit runs until {expires_on} and has not expired on {as_of}",
    ),
    "REN-EXPIRED.fail": (
        "证件有效期至 {expires_on}，提交日 {submitted_on} 已过期，一旦过期，无法恢复",
        "the permit ran until {expires_on}; on {submitted_on} it had expired and cannot be restored",
    ),
    "REN-EXPIRED.lapsed_in_review": (
        "提交日 {submitted_on} 证件尚在有效期内，但受理日 {as_of} 证件已于 {expires_on} 到期；由审核人员决定（四（九））",
        "the permit was valid on {submitted_on}, but it ran until {expires_on} and the case was accepted on {as_of}; "
        "a reviewer decides",
    ),
    "REN-WINDOW.pass": (
        "提交日 {submitted_on} 在续签期 {window_opens} 至 {complete_by} 之内",
        "submitted on {submitted_on}, within the renewal window {window_opens} to {complete_by}",
    ),
    "REN-WINDOW.early": (
        "提交日 {submitted_on} 早于续签期开始日 {window_opens}（续签期 {window_opens} 至 {complete_by}）",
        "submitted on {submitted_on}, before the renewal window opens on {window_opens} (window {window_opens} to {complete_by})",
    ),
    "REN-WINDOW.late": (
        "提交日 {submitted_on} 晚于续签期截止日 {complete_by}",
        "submitted on {submitted_on}, after the renewal window closed on {complete_by}",
    ),
    "REN-DEADLINE.pass": (
        "提交日 {submitted_on} 后{lead_working_days}个工作日为 {review_complete_on}，不晚于 {complete_by}；最晚提交工作日 {latest_working_day}",
        "{lead_working_days} working days after {submitted_on} is {review_complete_on}, no later than {complete_by}; "
        "latest working day to submit {latest_working_day}",
    ),
    "REN-DEADLINE.pass_estimated": (
        "提交日 {submitted_on} 早于估算的最晚提交工作日 {latest_working_day}，不晚于 {complete_by} 完成审核的预留时间足够"
        "（该年度工作日历尚未公布，按法定节假日估算并提前{margin_working_days}个工作日）",
        "submitted on {submitted_on}, no later than the estimated latest working day {latest_working_day}, leaving the "
        "review time before {complete_by} (that year's calendar is not published: estimated from the statutory "
        "holidays, moved {margin_working_days} working days earlier)",
    ),
    "REN-DEADLINE.late": (
        "提交日 {submitted_on} 晚于最晚提交工作日 {latest_working_day}：提交日后{lead_working_days}个工作日为 "
        "{review_complete_on}，晚于 {complete_by}。指南要求至少提前{lead_working_days}个工作日提交，未按时间提交导致审核未完成、"
        "证件失效的，责任由申请单位及申请人承担；提交人须确认知悉该风险，由审核人员决定",
        "submitted on {submitted_on}, after the latest working day {latest_working_day}: {lead_working_days} working "
        "days after it is {review_complete_on}, after {complete_by}. The guide asks for at least {lead_working_days} "
        "working days; if the permit lapses before the review ends, the employer and the applicant bear the risk; "
        "the submitter must acknowledge it and a reviewer decides",
    ),
    "REN-DEADLINE.late_estimated": (
        "提交日 {submitted_on} 晚于估算的最晚提交工作日 {latest_working_day}（该年度工作日历尚未公布，按法定节假日估算"
        "并提前{margin_working_days}个工作日），可能无法在 {complete_by} 前完成审核；未按时间提交导致证件失效的，责任由申请单位及申请人承担，"
        "由审核人员决定",
        "submitted on {submitted_on}, after the estimated latest working day {latest_working_day} (that year's "
        "calendar is not published: estimated from the statutory holidays, moved {margin_working_days} working days earlier); the review "
        "may not finish by {complete_by}; if the permit lapses, the employer and the applicant bear the risk; a "
        "reviewer decides",
    ),
    "REN-DEADLINE.fail": (
        "提交日 {submitted_on} 不早于完成期限 {complete_by}，审核无法在证件到期前完成；最晚提交工作日为 {latest_working_day}",
        "submitted on {submitted_on}, on or after {complete_by}: the review cannot finish before expiry; the latest "
        "working day to submit was {latest_working_day}",
    ),
    "REN-DEADLINE.fail_estimated": (
        "提交日 {submitted_on} 不早于完成期限 {complete_by}，审核无法在证件到期前完成；最晚提交工作日约为 {latest_working_day}"
        "（该年度工作日历尚未公布，为估算）",
        "submitted on {submitted_on}, on or after {complete_by}: the review cannot finish before expiry; the latest "
        "working day to submit was about {latest_working_day} (estimated: that year's calendar is not published)",
    ),
    "REN-DEADLINE.expired": (
        "提交日 {submitted_on} 证件已到期，见证件有效期检查",
        "submitted on {submitted_on}, when the permit had expired: see the expiry check",
    ),
    "CHG-ONE-BY-ONE.pass": (
        "持证人自证件所属单位直接转入本单位，无须先办理其他单位变更",
        "the holder moved straight from the permit's employer to this one: no earlier change to file",
    ),
    "CHG-ONE-BY-ONE.fail": (
        "持证人在证件所属单位之后、本单位之前还在{intermediate_employers}家单位工作过；多次单位变更须按顺序逐一办理，"
        "请先办理从证件所属单位到下一家单位的变更",
        "the holder worked for {intermediate_employers} employer(s) between the permit's employer and this one; "
        "several changes are filed one by one, in order: first file the change from the permit's employer to the next one",
    ),
    "REN-INCOME-3Y.pass": (
        "持证期间 {from} 至 {to} 应税收入连续正常缴纳、不为零、无更正",
        "income while holding the permit, from {from} to {to}, is continuous, never zero and never corrected",
    ),
    "REN-INCOME-3Y.stale": (
        "应税收入只更新到 {to}，最近月份须为 {expected_last_month} 之一（受理日 {as_of}）",
        "income records end in {to}; the latest month must be one of {expected_last_month} (as of {as_of})",
    ),
    "REN-INCOME-3Y.stale_since_submission": (
        "应税收入只更新到 {to}：按受理日 {as_of} 已不是最近月份，按提交日仍是，由审核人员决定（四（九））",
        "income records end in {to}: stale on the acceptance day {as_of} but fresh on the submission day; a reviewer decides",
    ),
    "REN-INCOME-3Y.corrected": (
        "以下月份应税收入有更正（更正无效，按原申报金额计）：{list}；由审核人员决定",
        "income was corrected (corrections are void: the original declaration counts) in: {list}; a reviewer decides",
    ),
    "REN-INCOME-3Y.earlier": (
        "近{months}个月之前（{from} 起）以下月份缺失、为零或有更正：{list}；由审核人员决定",
        "before the last {months} months (from {from}), these months are missing, zero or corrected: {list}; a reviewer decides",
    ),
    "REN-INCOME-3Y.change_pending": (
        "聘用单位已变更但未办理单位变更业务，不在受理范围之内",
        "the employer changed and the employer change was not filed",
    ),
}

LABELS: dict[str, dict[str, tuple[str, str]]] = {
    "kind": {
        "enterprise": ("企业", "enterprise"),
        "public_institution": ("事业单位", "public institution"),
        "private_non_enterprise": ("民办非企业单位", "private non-enterprise unit"),
        "social_organization": ("社会团体", "social organisation"),
        "professional_partnership": (
            "合伙制专业服务机构（律师事务所、会计师事务所等）",
            "professional partnership (law firm, accounting firm and the like)",
        ),
        "other": ("其他（非法人）", "other (not a legal person)"),
        "residence_card": ("居住证（卡）确认单", "residence card confirmation"),
        "owned": ("自有住房", "owned home"),
        "rented": ("租住房屋", "rented home"),
        "employer_housing": ("单位公房", "employer housing"),
        "relatives": ("亲友住房", "relatives' home"),
    },
    "hukou": {
        "non_beijing": ("非京籍户口", "non-Beijing hukou"),
        "beijing": ("北京户口", "Beijing hukou"),
        "beijing_collective": ("北京市集体户口", "Beijing collective hukou"),
        "beijing_school_temporary": ("学校临时户口", "school temporary hukou"),
    },
    "degree": {
        "none": ("无", "no"),
        "associate": ("专科", "associate"),
        "bachelor": ("学士", "bachelor's"),
        "master": ("硕士", "master's"),
        "doctor": ("博士", "doctoral"),
    },
    "title": {
        "junior": ("初级", "junior"),
        "intermediate": ("中级", "intermediate"),
        "deputy_senior": ("副高级", "deputy senior"),
        "senior": ("正高级", "senior"),
        "equivalent": ("相当资格、资质", "equivalent qualification"),
    },
    "which": {
        "contract": ("劳动合同签订", "labour contract"),
        "tax_withholding": ("个税扣缴", "tax withholding"),
        "social_insurance": ("社保缴纳", "social insurance"),
    },
}

_NONE = ("无", "none")

Part = tuple[str, str | None, dict[str, tuple[str, str]] | None]
"""One piece of a template: the literal text before a placeholder, its name and its label table."""


def _compile(template: str) -> tuple[Part, ...]:
    """Split a template once, so that rendering is a join instead of a parse per message."""
    parts: list[Part] = []
    for literal, name, spec, conversion in Formatter().parse(template):
        if spec or conversion:
            raise ValueError(f"format specs are not used in messages: {template!r}")
        parts.append((literal, name, LABELS.get(name) if name else None))
    return tuple(parts)


# Every template split at import, per language index (0 zh, 1 en); a missing key is a KeyError as before.
_COMPILED: tuple[dict[str, tuple[Part, ...]], ...] = tuple(
    {key: _compile(texts[index]) for key, texts in MESSAGES.items()} for index in (0, 1)
)


def _shown(name: str, value: Any, table: dict[str, tuple[str, str]] | None, index: int) -> str:
    """A value as the message shows it: labels for enumeration codes, lists joined, None as 无/none."""
    if value is None:
        return _NONE[index]
    if type(value) is list:
        return ", ".join(str(v) for v in value) if value else _NONE[index]
    if table is None:
        return format(value)
    if name == "which":
        labels = [table.get(v, (v, v))[index] for v in str(value).split(", ")]
        return "、".join(labels) if index == 0 else ", ".join(labels)
    found = table.get(value)
    return found[index] if found else format(value)


def render(key: str, lang: str, values: dict[str, Any]) -> str:
    """The message `key` in `lang` ("zh" default, "en"), filled with `values`."""
    index = 1 if lang == "en" else 0
    out = []
    for literal, name, table in _COMPILED[index][key]:
        out.append(literal)
        if name is not None:
            value = values[name]
            plain = table is None and value is not None and type(value) is not list
            out.append(format(value) if plain else _shown(name, value, table, index))
    return "".join(out)
