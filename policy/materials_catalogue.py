"""The materials catalogue (`materials.md`): every material ID with its Chinese and English name.

Pure Python (no Django). Names follow the guide's wording (申请单位及申请人注册, 新办 申请单位上传 1–3,
申请人上传 1–8, 续签 / 单位变更 / 信息变更 材料).
"""

from __future__ import annotations

from typing import NamedTuple


class MaterialName(NamedTuple):
    zh: str
    en: str


CATALOGUE: dict[str, MaterialName] = {
    # Employer registration (注册 1; 单位变更 注意事项 3)
    "BUSINESS-LICENCE": MaterialName("营业执照", "Business licence"),
    "QUALIFICATION-CERT": MaterialName(
        "单位资质证书（如国家高新技术企业证书）",
        "Employer's qualification certificate (e.g. high-tech enterprise)",
    ),
    "EMPLOYER-TAX": MaterialName(
        "单位纳税材料（《税收完税证明》或《涉税查询结果告知书》）",
        "Employer's tax record (tax payment certificate or tax enquiry notice)",
    ),
    "HANDLER-ID": MaterialName("经办人身份证", "Handler's ID card"),
    "EMPLOYER-INTEGRITY": MaterialName("单位诚信声明", "Employer's integrity declaration"),
    "COMMITMENT-LETTER": MaterialName("承诺书", "Commitment letter"),
    # Per case, employer
    "LABOUR-CONTRACT": MaterialName("有效聘用（劳动）合同", "Valid employment (labour) contract"),
    "RESIGNATION-CERT": MaterialName("原单位离职证明", "Former employer's certificate of leaving"),
    # Education (新办 申请人 1–2)
    "GRADUATION-CERT": MaterialName("毕业证", "Graduation certificate"),
    "GRADUATION-VERIFICATION": MaterialName("学历认证（学信网）", "Verification of the graduation (CHSI)"),
    "DEGREE-CERT": MaterialName("学位证", "Degree certificate"),
    "DEGREE-VERIFICATION": MaterialName("学位认证（学信网）", "Verification of the degree (CHSI)"),
    "TITLE-CERT": MaterialName("职称证书", "Professional title certificate"),
    "TITLE-EXAM-REGISTER": MaterialName("《考试合格人员登记表》", "Register of persons who passed the exam"),
    "TITLE-REVIEW-FORM": MaterialName("《职称评审表》", "Professional title review form"),
    "TITLE-APPOINTMENT": MaterialName("《任职通知书》", "Notice of appointment (senior titles)"),
    "TITLE-ISSUER-CONTACT": MaterialName(
        "职称发证部门联系方式", "Contact details of the title's issuing authority"
    ),
    "EDUCATION-CERT": MaterialName("学历证书", "Education certificate"),
    "EDUCATION-VERIFICATION": MaterialName("学历认证", "Verification of the education certificate"),
    # Applicant, all cases
    "INCOME-RECORDS": MaterialName(
        "应税收入材料（近一年或入职至今的《申报收入查询记录》和《申请人所得税纳税记录》）",
        "Taxable income records (last year or since joining)",
    ),
    "INCOME-RECORDS-3Y": MaterialName(
        "应税收入材料（持证期间近三年的《申报收入查询记录》和《申请人所得税纳税记录》）",
        "Taxable income records (last three years of holding the permit)",
    ),
    "HUKOU-PAGES": MaterialName("户口本首页及本人页", "Household register: first page and own page"),
    "APPLICANT-INTEGRITY": MaterialName("《申请人诚信声明》", "Applicant's integrity declaration"),
    "ID-PHOTO": MaterialName("一寸免冠白底彩色证件照", "1-inch colour ID photo on white background"),
    # Residence (新办 申请人 6)
    "RESIDENCE-CARD-CONFIRMATION": MaterialName(
        "加盖派出所专用章的《北京市居住证（卡）确认单》",
        "Beijing residence card confirmation with the police station's seal",
    ),
    "PROPERTY-CERT": MaterialName(
        "《房屋所有权证》或《不动产权证书》（或商品房买卖网签合同）",
        "Property certificate (or the online-signed purchase contract)",
    ),
    "LEASE": MaterialName("房屋租赁合同或协议", "Lease contract or agreement"),
    "LANDLORD-PROPERTY-CERT": MaterialName(
        "出租房屋的《房屋所有权证》或《不动产权证书》或商品房买卖网签合同",
        "Property certificate of the rented home (resident household)",
    ),
    "LANDLORD-HUKOU": MaterialName("房屋所有人户口本", "Household register of the owner (rural homestead)"),
    "UNIT-HOUSING-PROOF": MaterialName(
        "房屋产权单位出具的房屋产权证明或租赁合同",
        "Ownership proof or lease from the unit owning the housing",
    ),
    "UNIT-RESIDENCE-CERT": MaterialName("单位出具的申请人居住证明", "Employer's certificate of residence"),
    "RELATIVE-PROPERTY-CERT": MaterialName(
        "亲友的《房屋所有权证》或《不动产权证书》或商品房买卖网签合同",
        "Relative's or friend's property certificate",
    ),
    "RELATIVE-DECLARATION": MaterialName("亲友双方签署的声明", "Declaration signed by both parties"),
    "RELATIVE-IDS": MaterialName("亲友双方身份证", "ID cards of both parties"),
    "COOWNER-DECLARATION": MaterialName(
        "产权人、共有人及申请人共同签署的声明及身份证",
        "Declaration signed by the owner, the co-owners and the applicant, with their ID cards",
    ),
    # Each accompanying child (新办 申请人 7)
    "PARENTS-MARRIAGE-CERT": MaterialName("父母结婚证", "Parents' marriage certificate"),
    "CHILD-HUKOU": MaterialName(
        "子女户口簿首页及本人页", "Child's household register: first page and own page"
    ),
    "CHILD-BIRTH-CERT": MaterialName("《出生医学证明》", "Medical birth certificate"),
    "KINSHIP-PROOF": MaterialName(
        "证明与申请人有直系血缘关系的材料", "Proof of direct blood relationship with the applicant"
    ),
    "DIVORCE-PAPERS": MaterialName(
        "离婚证和离婚协议（申请人单独抚养）或法院判决书",
        "Divorce certificate and agreement (sole custody) or court judgment",
    ),
    # Clause evidence (新办 申请人 8)
    "AWARD-CERT": MaterialName("获奖证书或能够证明获得奖项的材料", "Award certificate or proof of the award"),
    "AWARD-ISSUER-CONTACT": MaterialName(
        "奖项发证部门联系方式", "Contact details of the award's issuing authority"
    ),
    "INCOME-3Y": MaterialName(
        "申请人近3年的应税收入材料（覆盖3个自然年度）", "Applicant's taxable income, three calendar years"
    ),
    "IP-CERTS": MaterialName(
        "专利、软件著作权等相关证书、证明材料", "Patent or software copyright certificates"
    ),
    "IP-COMMERCIALISATION": MaterialName(
        "知识产权成果在京落地转化并取得较好经济社会效益的证明材料",
        "Proof of the IP's commercialisation in Beijing and its results",
    ),
    "COMPANY-ARTICLES": MaterialName(
        "在相关政府主管部门已备案的最新单位章程", "Latest articles of association on file with the authority"
    ),
    "CAPITAL-VERIFICATION": MaterialName(
        "能体现实际资金投入的验资报告或年报",
        "Capital verification report or annual report showing the investment",
    ),
    "INVESTMENT-AGREEMENT": MaterialName(
        "股权类现金融资的投资协议书", "Investment agreement of the equity financing"
    ),
    "BANK-TRANSFERS": MaterialName("银行转账记录等证明材料", "Bank transfer records"),
    "TAX-3Y": MaterialName("近三年纳税证明材料（覆盖3个自然年度）", "Tax certificates, three calendar years"),
    "CONTRIBUTION-EVIDENCE": MaterialName("业绩贡献材料", "Evidence of the contribution"),
    # Information change (信息变更 申请人 2)
    "CHANGE-PROOF": MaterialName("变更事项的相应证明材料", "Proof of the changed information"),
}

UPLOADERS: dict[str, MaterialName] = {
    "employer": MaterialName("申请单位上传", "Uploaded by the employer"),
    "former_employer": MaterialName("原单位上传", "Uploaded by the former employer"),
    "applicant": MaterialName("申请人上传", "Uploaded by the applicant"),
}


def name_zh(material: str) -> str:
    return CATALOGUE[material].zh


def name_en(material: str) -> str:
    return CATALOGUE[material].en


DOCUMENT_KINDS: dict[str, MaterialName] = {
    # `documents[].kind` of the eligibility facts that are not a catalogue ID written in lower case
    "tax_enquiry_notice": MaterialName("《涉税查询结果告知书》", "Tax enquiry notice"),
    "tax_certificate": MaterialName("《税收完税证明》", "Tax payment certificate"),
    "income_records": MaterialName("《申报收入查询记录》", "Declared income records"),
    "tax_records": MaterialName("《申请人所得税纳税记录》", "Applicant's income tax records"),
    "id_card": MaterialName("身份证", "ID card"),
}


def document_name(kind: str, lang: str) -> str:
    """The name of a `documents[].kind` in `lang` ("zh" / "en"): its catalogue entry
    (`labour_contract` → LABOUR-CONTRACT), else `DOCUMENT_KINDS`; an unknown kind is shown as given."""
    found = DOCUMENT_KINDS.get(kind) or CATALOGUE.get(kind.upper().replace("_", "-"))
    if found is None:
        return kind
    return found.en if lang == "en" else found.zh


STAMPED_MATERIALS: frozenset[str] = frozenset(
    {
        "EMPLOYER-TAX",
        "INCOME-RECORDS",
        "INCOME-RECORDS-3Y",
        "INCOME-3Y",
        "TITLE-CERT",
        "IP-CERTS",
    }
)
"""DOC-STAMPED (四（一）): materials on which a reviewer confirms the seal and the annotations before
accepting them. 《单位缴纳税费凭证》 (EMPLOYER-TAX): the employer's finance seal with
"经核真实有效、经办人签字";
《申请人应税收入材料》 (INCOME-RECORDS, INCOME-RECORDS-3Y, INCOME-3Y): the finance seal on every page
with "经核真实有效、申请人签字、经办人签字"; 职称、专利、软件著作权 certificates (TITLE-CERT, IP-CERTS):
"经核真实有效、申请人签字、经办人签字"."""
