"""The employer's own materials (注册 1 and 单位变更 注意事项 3) and their labels."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

BUSINESS_LICENCE = "BUSINESS-LICENCE"
QUALIFICATION_CERT = "QUALIFICATION-CERT"
EMPLOYER_TAX = "EMPLOYER-TAX"
HANDLER_ID = "HANDLER-ID"
EMPLOYER_INTEGRITY = "EMPLOYER-INTEGRITY"
COMMITMENT_LETTER = "COMMITMENT-LETTER"
LABOUR_CONTRACT = "LABOUR-CONTRACT"
RESIGNATION_CERT = "RESIGNATION-CERT"

EMPLOYER_MATERIALS = (
    BUSINESS_LICENCE,
    QUALIFICATION_CERT,
    EMPLOYER_TAX,
    HANDLER_ID,
    EMPLOYER_INTEGRITY,
    COMMITMENT_LETTER,
)

LABELS = {
    BUSINESS_LICENCE: _("营业执照（或法人登记证书）"),
    QUALIFICATION_CERT: _("单位资质证书（如国家高新技术企业证书）"),
    EMPLOYER_TAX: _("单位纳税材料（《税收完税证明》或《涉税查询结果告知书》）"),
    HANDLER_ID: _("经办人身份证"),
    EMPLOYER_INTEGRITY: _("单位诚信声明（法人手写签字，按年度更新）"),
    COMMITMENT_LETTER: _("承诺书（仅接收已持证人员）"),
    LABOUR_CONTRACT: _("劳动（聘用）合同"),
    RESIGNATION_CERT: _("单位离职证明"),
}

HINTS = {
    QUALIFICATION_CERT: _("没有资质证书的，单位分类须选择“其他”。"),
    EMPLOYER_TAX: _("税款所属期为上一年度或近12个月；加盖财务章并注明“经核真实有效、经办人签字”。"),
    EMPLOYER_INTEGRITY: _("模板：北京国际人才网 — 工作居住证办理指南 — 海淀区 — 附件1。每年更新。"),
    COMMITMENT_LETTER: _("模板：北京国际人才网 — 工作居住证办理指南 — 海淀区 — 附件4。"),
}


def label(material: str) -> str:
    return str(LABELS.get(material, material))
