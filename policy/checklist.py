"""DOC-CHECKLIST: the materials a case calls for, from its facts (`materials.md`).

`checklist(facts)` is a pure function of `policy.facts.Facts`. Each `Material` says who uploads it
(`employer`, `former_employer` or `applicant`), for which accompanying child (index in
`applicant.children`, else None), the guide's section that asks for it and why, in Chinese and English.
Each (id, uploader, child) appears once.

Readings of the guide (see materials.md):
- The education route is the title route when the declared clause is 2, else the degree route.
  An unknown degree (not provided) still asks for the graduation certificate; `none` asks for nothing.
  A title route without `title_route` asks for neither the exam register nor the review form.
- Every child in `applicant.children` is an accompanying child; CHILD-MINOR (a separate rule of the
  engine) judges whether each may accompany.
- Clause 7: the materials of every route whose condition holds; when none holds, or the startup facts
  are missing, all five materials, so the applicant sees what each route would need.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from policy.facts import Applicant, Child, Facts
from policy.materials_catalogue import CATALOGUE
from policy.parameters import ParameterSet

Uploader = Literal["employer", "former_employer", "applicant"]

# Clause 7's routes (CL7-STARTUP): the amounts are the parameters in force on `as_of`.
STARTUP_PARAMETERS = ("P-CL7-SELF-INVESTMENT", "P-CL7-EQUITY-FINANCING", "P-CL7-AVERAGE-TAX")
DEGREES_WITH_CERTIFICATE = frozenset({"bachelor", "master", "doctor"})
SENIOR_TITLES = frozenset({"deputy_senior", "senior"})


@dataclass(frozen=True)
class Material:
    id: str
    uploader: Uploader
    child: int | None
    citation: str
    reason_zh: str
    reason_en: str

    @property
    def key(self) -> tuple[str, str, int | None]:
        return (self.id, self.uploader, self.child)

    def as_json(self, lang: str = "zh") -> dict[str, Any]:
        names = CATALOGUE[self.id]
        english = lang.startswith("en")
        return {
            "id": self.id,
            "uploader": self.uploader,
            "child": self.child,
            "name": names.en if english else names.zh,
            "citation": self.citation,
            "reason": self.reason_en if english else self.reason_zh,
        }


class _List:
    def __init__(self, facts: Facts, parameters: ParameterSet | None) -> None:
        self.items: list[Material] = []
        self._seen: set[tuple[str, str, int | None]] = set()
        self.facts = facts
        self.parameters = parameters

    def amount(self, parameter_id: str) -> int:
        """A figure of the guide in force on `as_of` (the shipped set when none was given)."""
        if self.parameters is None:
            from policy.parameters import load_parameters

            self.parameters = load_parameters()
        return int(self.parameters.lookup(parameter_id, self.facts.as_of).value)

    def add(
        self,
        material_id: str,
        uploader: Uploader,
        citation: str,
        reason_zh: str,
        reason_en: str,
        child: int | None = None,
    ) -> None:
        if material_id not in CATALOGUE:
            raise KeyError(material_id)
        item = Material(material_id, uploader, child, citation, reason_zh, reason_en)
        if item.key not in self._seen:
            self._seen.add(item.key)
            self.items.append(item)


def checklist(facts: Facts, parameters: ParameterSet | None = None) -> list[Material]:
    """The materials the case calls for (DOC-CHECKLIST), in the guide's order; `parameters`: the set
    in force (back office included), else the shipped one."""
    out = _List(facts, parameters)
    business = facts.business
    if business == "new":
        _employer_case(out, "新办 申请单位上传", "新办业务", "a new application")
        _applicant_new(out, facts, income="INCOME-RECORDS", section="新办")
    elif business == "renewal":
        _employer_case(out, "续签 申请单位上传", "续签业务", "a renewal")
        out.add(
            "INCOME-RECORDS-3Y",
            "applicant",
            "续签 申请人上传 1",
            "续签须提供持证期间近三年的应税收入材料。",
            "A renewal needs the taxable income records of the last three years of holding.",
        )
        _integrity(out, "续签 申请人上传 2", "续签业务", "a renewal")
        if facts.permit is not None and facts.permit.migrated:
            _applicant_new(out, facts, income="INCOME-RECORDS-3Y", section="续签 注意事项 1：新办")
    elif business == "employer_change":
        _employer_case(
            out, "单位变更 现单位上传", "单位变更业务（现单位）", "an employer change (new employer)"
        )
        out.add(
            "RESIGNATION-CERT",
            "former_employer",
            "单位变更 原单位上传 1",
            "原单位解除关联时上传离职证明，须注明离职日期（CHG-RESIGNATION）。",
            "The former employer uploads the certificate of leaving, with the leaving date, when it"
            " dissociates the holder (CHG-RESIGNATION).",
        )
        _integrity(out, "单位变更 申请人上传 1", "单位变更业务", "an employer change")
        if facts.permit is not None and (facts.permit.migrated or not facts.permit.resignation_cert_on_file):
            out.add(
                "RESIGNATION-CERT",
                "applicant",
                "单位变更 申请人上传 2",
                "旧系统迁移数据的持证人，或原单位未上传离职证明的，须在申请人附件“其他材料”中上传原单位离职证明。",
                "A holder whose data came from the old system, or whose former employer left no certificate"
                " of leaving, uploads it under other materials.",
            )
    else:
        out.add(
            "EMPLOYER-TAX",
            "employer",
            "信息变更 申请单位上传 1",
            "信息变更业务须提供单位纳税材料（加盖财务章注明“经核真实有效、经办人签字”）。",
            "An information change needs the employer's tax record, with the finance seal and annotation.",
        )
        out.add(
            "EMPLOYER-INTEGRITY",
            "employer",
            "信息变更 申请单位上传 2",
            "信息变更业务须提供本申报年度的单位诚信声明（法人手写签字）。",
            "An information change needs this year's employer integrity declaration, signed by hand.",
        )
        _integrity(out, "信息变更 申请人上传 1", "信息变更业务", "an information change")
        _info_changes(out, facts)
    return out.items


def checklist_json(facts: Facts, lang: str = "zh") -> dict[str, Any]:
    """The contract's answer: `{"business", "materials": [...]}`."""
    return {"business": facts.business, "materials": [item.as_json(lang) for item in checklist(facts)]}


# -- parts ----------------------------------------------------------------------------------------


def _employer_case(out: _List, section: str, business_zh: str, business_en: str) -> None:
    out.add(
        "LABOUR-CONTRACT",
        "employer",
        f"{section} 1",
        f"{business_zh}须提供有效的聘用（劳动）合同。",
        f"{business_en.capitalize()} needs a valid employment contract.",
    )
    out.add(
        "EMPLOYER-TAX",
        "employer",
        f"{section} 2",
        f"{business_zh}须提供单位纳税材料（加盖财务章注明“经核真实有效、经办人签字”）。",
        f"{business_en.capitalize()} needs the employer's tax record, with the finance seal and annotation.",
    )
    out.add(
        "EMPLOYER-INTEGRITY",
        "employer",
        f"{section} 3",
        f"{business_zh}须提供本申报年度的单位诚信声明（法人手写签字）。",
        f"{business_en.capitalize()} needs this year's employer integrity declaration, signed by hand.",
    )


def _integrity(out: _List, citation: str, business_zh: str, business_en: str) -> None:
    out.add(
        "APPLICANT-INTEGRITY",
        "applicant",
        citation,
        f"{business_zh}须提供《申请人诚信声明》。",
        f"{business_en.capitalize()} needs the applicant's integrity declaration.",
    )


def _applicant_new(out: _List, facts: Facts, *, income: str, section: str) -> None:
    """What a new applicant uploads (新办 申请人上传 1–8); a migrated renewal uploads the same."""
    applicant = facts.applicant
    if facts.claimed_clause == 2:
        _title_route(out, applicant, section)
    else:
        _degree_route(out, applicant, section)
    if income == "INCOME-RECORDS":
        out.add(
            "INCOME-RECORDS",
            "applicant",
            f"{section} 申请人上传 3",
            "须提供近一年或入职本单位至今的应税收入材料，逐页加盖申请单位财务章并签注（DOC-STAMPED）。",
            "The taxable income records of the last year or since joining, stamped on every page"
            " (DOC-STAMPED).",
        )
    else:
        out.add(
            "INCOME-RECORDS-3Y",
            "applicant",
            "续签 申请人上传 1",
            "旧系统迁移的续签，以持证期间近三年的应税收入材料代替新办的应税收入材料。",
            "A migrated renewal gives the last three years' income records in place of a new applicant's.",
        )
    out.add(
        "HUKOU-PAGES",
        "applicant",
        f"{section} 申请人上传 4",
        "须提供户口本首页及本人页（APP-HUKOU）。",
        "The household register's first page and own page (APP-HUKOU).",
    )
    _integrity(out, f"{section} 申请人上传 5", "申请", "the application")
    _residence(out, applicant, f"{section} 申请人上传 6")
    for index, child in enumerate(applicant.children):
        _child(out, index, child, f"{section} 申请人上传 7")
    _clause_evidence(out, facts, f"{section} 申请人上传 8")


def _degree_route(out: _List, applicant: Applicant, section: str) -> None:
    degree = applicant.degree
    if degree == "none":
        return
    manual = applicant.education_verification == "manual"
    out.add(
        "GRADUATION-CERT",
        "applicant",
        f"{section} 申请人上传 1",
        "以学历学位申报，须提供毕业证。",
        "Applying on the degree route needs the graduation certificate.",
    )
    if manual:
        out.add(
            "GRADUATION-VERIFICATION",
            "applicant",
            f"{section} 申请人上传 1",
            "系统核验学历显示“需人工审核”，须通过学信网认证后上传学历认证。",
            "The system's online check shows 'manual review', so the CHSI verification is needed.",
        )
    if degree in DEGREES_WITH_CERTIFICATE:
        out.add(
            "DEGREE-CERT",
            "applicant",
            f"{section} 申请人上传 2",
            "学士（含）以上学位须提供学位证。",
            "A bachelor's degree or higher needs the degree certificate.",
        )
        if manual:
            out.add(
                "DEGREE-VERIFICATION",
                "applicant",
                f"{section} 申请人上传 2",
                "系统核验学位显示“需人工审核”，须通过学信网认证后上传学位认证。",
                "The system's online check shows 'manual review', so the degree verification is needed.",
            )


def _title_route(out: _List, applicant: Applicant, section: str) -> None:
    citation = f"{section} 申请人上传 2"
    out.add(
        "TITLE-CERT",
        "applicant",
        citation,
        "以职称（条件2）申报，须提供职称证书。",
        "Applying with a professional title (clause 2) needs the title certificate.",
    )
    if applicant.title_route == "exam":
        out.add(
            "TITLE-EXAM-REGISTER",
            "applicant",
            citation,
            "职称为考试取得，须提供《考试合格人员登记表》。",
            "The title was obtained by examination: the register of persons who passed is needed.",
        )
    elif applicant.title_route == "review":
        out.add(
            "TITLE-REVIEW-FORM",
            "applicant",
            citation,
            "职称为评审取得，须提供《职称评审表》。",
            "The title was obtained by review: the review form is needed.",
        )
    if applicant.title in SENIOR_TITLES:
        out.add(
            "TITLE-APPOINTMENT",
            "applicant",
            citation,
            "高级职称另需提供《任职通知书》。",
            "A senior title also needs the notice of appointment.",
        )
    if not applicant.title_verifiable_online:
        out.add(
            "TITLE-ISSUER-CONTACT",
            "applicant",
            citation,
            "职称无法网络查验，另需提供发证部门联系方式。",
            "The title cannot be verified online: the issuing authority's contact details are needed.",
        )
    out.add(
        "EDUCATION-CERT",
        "applicant",
        citation,
        "以职称申报，另需提供学历证书。",
        "Applying with a title also needs the education certificate.",
    )
    if applicant.education_verification == "manual":
        out.add(
            "EDUCATION-VERIFICATION",
            "applicant",
            citation,
            "学历无法网络查验（需人工审核），另需提供学历认证。",
            "The education cannot be verified online (manual review): its verification is needed.",
        )


def _residence(out: _List, applicant: Applicant, citation: str) -> None:
    residence = applicant.residence
    kind = residence.kind if residence is not None else None
    if residence is None or kind is None:
        return
    if kind == "residence_card":
        out.add(
            "RESIDENCE-CARD-CONFIRMATION",
            "applicant",
            f"{citation}①",
            "以居住证（卡）证明住所的，须提供加盖派出所专用章的确认单，截屏无效（注意事项 7）。",
            "A residence card needs the confirmation slip with the police station's seal; screenshots"
            " are not valid.",
        )
    elif kind == "owned":
        out.add(
            "PROPERTY-CERT",
            "applicant",
            f"{citation}②",
            "自有住房须提供房屋所有权证或不动产权证书，尚未取得的提供网签合同。",
            "An owned home needs the property certificate, or the online-signed purchase contract.",
        )
    elif kind == "rented":
        out.add(
            "LEASE",
            "applicant",
            f"{citation}③",
            "租住房屋须提供载明地址、双方姓名、身份证号码、联系方式和租期的租赁合同。",
            "A rented home needs the lease with address, both parties' names, ID numbers, contacts and term.",
        )
        if residence.landlord == "resident_household":
            out.add(
                "LANDLORD-PROPERTY-CERT",
                "applicant",
                f"{citation}③",
                "租住居民户房屋的，另需提供该房屋的产权证明或网签合同。",
                "Renting from a resident household also needs that home's property certificate.",
            )
        elif residence.landlord == "rural_homestead":
            out.add(
                "LANDLORD-HUKOU",
                "applicant",
                f"{citation}③",
                "租住农村宅基地房屋的，另需提供房屋所有人户口本。",
                "Renting a rural homestead house also needs the owner's household register.",
            )
    elif kind == "employer_housing":
        out.add(
            "UNIT-HOUSING-PROOF",
            "applicant",
            f"{citation}④",
            "住单位公房的，须由房屋产权单位出具产权证明或租赁合同。",
            "Employer housing needs the owning unit's ownership proof or lease.",
        )
        out.add(
            "UNIT-RESIDENCE-CERT",
            "applicant",
            f"{citation}④",
            "住单位公房的，另需单位出具的申请人居住证明。",
            "Employer housing also needs the employer's certificate that the applicant lives there.",
        )
    else:
        out.add(
            "RELATIVE-PROPERTY-CERT",
            "applicant",
            f"{citation}⑤",
            "居住亲友住房的，须提供亲友房屋的产权证明或网签合同。",
            "Living with relatives or friends needs their property certificate.",
        )
        out.add(
            "RELATIVE-DECLARATION",
            "applicant",
            f"{citation}⑤",
            "居住亲友住房的，须提供亲友双方签署的声明。",
            "Living with relatives or friends needs a declaration signed by both parties.",
        )
        out.add(
            "RELATIVE-IDS",
            "applicant",
            f"{citation}⑤",
            "居住亲友住房的，须提供双方身份证。",
            "Living with relatives or friends needs both parties' ID cards.",
        )
        if residence.co_owned:
            out.add(
                "COOWNER-DECLARATION",
                "applicant",
                f"{citation}⑤",
                "亲友房屋产权为共有的，须由产权人、共有人及申请人共同签署声明并提供身份证。",
                "Co-owned property needs a declaration signed by the owner, the co-owners and the"
                " applicant, with their ID cards.",
            )


def _child(out: _List, index: int, child: Child, citation: str) -> None:
    number = index + 1
    common = [
        (
            "CHILD-HUKOU",
            f"随往子女（第 {number} 名）须提供子女户口簿首页及本人页。",
            f"Accompanying child no. {number} needs the household register's first and own page.",
        ),
        (
            "CHILD-BIRTH-CERT",
            f"随往子女（第 {number} 名）须提供《出生医学证明》。",
            f"Accompanying child no. {number} needs the medical birth certificate.",
        ),
    ]
    if child.parents == "married":
        section = f"{citation}①"
        out.add(
            "PARENTS-MARRIAGE-CERT",
            "applicant",
            section,
            f"随往子女（第 {number} 名）父母婚内生育，须提供父母结婚证。",
            f"Child no. {number} was born to married parents: the parents' marriage certificate is needed.",
            child=index,
        )
    elif child.parents == "unmarried":
        section = f"{citation}②"
        out.add(
            "KINSHIP-PROOF",
            "applicant",
            section,
            f"随往子女（第 {number} 名）系未婚生育，须提供与申请人有直系血缘关系的证明材料。",
            f"Child no. {number} was born out of wedlock: proof of the blood relationship is needed.",
            child=index,
        )
    else:
        section = f"{citation}③"
        out.add(
            "DIVORCE-PAPERS",
            "applicant",
            section,
            f"随往子女（第 {number} 名）父母离异，须提供离婚证和由申请人单独抚养的离婚协议，或法院判决书。",
            f"Child no. {number}'s parents are divorced: the divorce certificate and an agreement giving"
            " the applicant sole custody, or the court judgment, are needed.",
            child=index,
        )
    for material_id, zh, en in common:
        out.add(material_id, "applicant", section, zh, en, child=index)


def _clause_evidence(out: _List, facts: Facts, citation: str) -> None:
    clause = facts.claimed_clause
    applicant = facts.applicant
    if clause == 3:
        out.add(
            "AWARD-CERT",
            "applicant",
            f"{citation}①",
            "以条件3申报，须提供获奖证书或能够证明获得奖项的材料。",
            "Clause 3 needs the award certificate or other proof of the award.",
        )
        if not applicant.award_verifiable_online:
            out.add(
                "AWARD-ISSUER-CONTACT",
                "applicant",
                f"{citation}①",
                "奖项无法网络查验，另需提供发证部门联系方式。",
                "The award cannot be verified online: the issuing authority's contact details are needed.",
            )
    elif clause in (4, 5):
        out.add(
            "QUALIFICATION-CERT",
            "applicant",
            f"{citation}②",
            f"以条件{clause}申报，须提供单位资质证书（覆盖3个自然年度）。",
            f"Clause {clause} needs the employer's qualification certificate (three calendar years).",
        )
        out.add(
            "INCOME-3Y",
            "applicant",
            f"{citation}②",
            f"以条件{clause}申报，须提供近3年的应税收入材料（覆盖3个自然年度）。",
            f"Clause {clause} needs the taxable income of the last three calendar years.",
        )
    elif clause == 6:
        out.add(
            "IP-CERTS",
            "applicant",
            f"{citation}③",
            "以条件6申报，须提供专利、软件著作权等相关证书和证明材料。",
            "Clause 6 needs the patent or software copyright certificates.",
        )
        out.add(
            "IP-COMMERCIALISATION",
            "applicant",
            f"{citation}③",
            "以条件6申报，须提供知识产权成果在京落地转化并取得较好经济社会效益的证明材料。",
            "Clause 6 needs proof that the IP was commercialised in Beijing with good results.",
        )
    elif clause == 7:
        _startup(out, facts, f"{citation}④")
    elif clause == 8:
        out.add(
            "CONTRIBUTION-EVIDENCE",
            "applicant",
            f"{citation}⑤",
            "以条件8申报，须提供业绩贡献材料。",
            "Clause 8 needs evidence of the contribution.",
        )
        out.add(
            "TAX-3Y",
            "applicant",
            f"{citation}⑤",
            "以条件8申报，须提供近三年纳税证明材料。",
            "Clause 8 needs the tax certificates of the last three years.",
        )


def _startup(out: _List, facts: Facts, citation: str) -> None:
    startup = facts.applicant.startup
    over_investment, over_financing, at_least_tax = (out.amount(pid) for pid in STARTUP_PARAMETERS)
    investment = startup is not None and (startup.self_investment_3y or 0) > over_investment
    financing = startup is not None and (startup.equity_financing or 0) > over_financing
    tax = startup is not None and (startup.average_annual_tax_3y or 0) >= at_least_tax
    none_holds = not (investment or financing or tax)
    if investment or none_holds:
        why = "近3年累计自主投入超过500万元" if investment else "尚无满足的途径，列出全部途径的材料"
        why_en = "self-investment over 5,000,000" if investment else "no route holds yet; every route listed"
        out.add(
            "COMPANY-ARTICLES",
            "applicant",
            f"{citation}（1）",
            f"条件7（{why}）：须提供已备案的最新单位章程。",
            f"Clause 7 ({why_en}): the latest articles of association on file.",
        )
        out.add(
            "CAPITAL-VERIFICATION",
            "applicant",
            f"{citation}（1）",
            f"条件7（{why}）：须提供能体现实际资金投入的验资报告或年报。",
            f"Clause 7 ({why_en}): a capital verification report or annual report.",
        )
    if financing or none_holds:
        why = "股权类现金融资大于1000万元" if financing else "尚无满足的途径，列出全部途径的材料"
        why_en = "equity financing over 10,000,000" if financing else "no route holds yet; every route listed"
        out.add(
            "INVESTMENT-AGREEMENT",
            "applicant",
            f"{citation}（2）",
            f"条件7（{why}）：须提供投资协议书。",
            f"Clause 7 ({why_en}): the investment agreement.",
        )
        out.add(
            "BANK-TRANSFERS",
            "applicant",
            f"{citation}（2）",
            f"条件7（{why}）：须提供银行转账记录等证明材料。",
            f"Clause 7 ({why_en}): the bank transfer records.",
        )
    if tax or none_holds:
        why = "近三年平均每年纳税500万元以上" if tax else "尚无满足的途径，列出全部途径的材料"
        why_en = (
            "average yearly tax of 5,000,000 or more" if tax else "no route holds yet; every route listed"
        )
        out.add(
            "COMPANY-ARTICLES",
            "applicant",
            f"{citation}（3）",
            f"条件7（{why}）：须提供已备案的最新单位章程。",
            f"Clause 7 ({why_en}): the latest articles of association on file.",
        )
        out.add(
            "TAX-3Y",
            "applicant",
            f"{citation}（3）",
            f"条件7（{why}）：须提供近三年纳税证明材料（覆盖3个自然年度）。",
            f"Clause 7 ({why_en}): tax certificates covering three calendar years.",
        )


def _info_changes(out: _List, facts: Facts) -> None:
    citation = "信息变更 申请人上传 2"
    applicant = facts.applicant
    for change in facts.changes:
        if change == "child":
            for index, child in enumerate(applicant.children):
                _child(out, index, child, f"{citation}（参照新办 申请人上传 7）")
        elif change == "address":
            _residence(out, applicant, f"{citation}（参照新办 申请人上传 6）")
        elif change == "hukou_address":
            out.add(
                "HUKOU-PAGES",
                "applicant",
                citation,
                "变更户口地址，须提交变更后的户口本首页及本人页。",
                "A changed hukou address needs the new household register's first and own page.",
            )
        else:
            out.add(
                "CHANGE-PROOF",
                "applicant",
                citation,
                "变更其他信息，须提交相应证明材料。",
                "Other changed information needs the corresponding proof.",
            )
