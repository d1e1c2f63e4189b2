from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

SITE_NAME = _("海淀区《北京市工作居住证》网上办理")


def site(request: HttpRequest) -> dict[str, object]:
    return {"SITE_NAME": SITE_NAME}
