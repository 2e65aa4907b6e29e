"""Language: the switch (set_language) on tenant and public hosts, and the
tenant's default language for visitors who have not chosen one."""

import pytest
from django.conf import settings
from django.test import Client
from django.utils import translation

from tenants.models import Tenant


def test_zh_hans_is_served_from_the_zh_Hans_locale_directory():
    assert ("zh-hans", "Simplified Chinese") in [(code, str(name)) for code, name in settings.LANGUAGES]
    assert translation.to_locale("zh-hans") == "zh_Hans"
    assert (settings.BASE_DIR / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.mo").is_file()
    with translation.override("zh-hans"):
        assert translation.gettext("Sign in") == "登录"


@pytest.mark.django_db
def test_language_switch_on_a_tenant_host_and_back(tenant_a):
    browser = Client(HTTP_HOST="alpha.localhost")
    page = browser.get("/accounts/login/").content.decode()
    assert '<html lang="en">' in page and "Sign in to Alpha Ltd" in page

    switched = browser.post("/i18n/setlang/", {"language": "zh-hans", "next": "/accounts/login/"})
    assert switched.status_code == 302 and switched["Location"] == "/accounts/login/"
    assert browser.cookies[settings.LANGUAGE_COOKIE_NAME].value == "zh-hans"
    page = browser.get("/accounts/login/").content.decode()
    assert '<html lang="zh-hans">' in page
    assert "登录" in page and "忘记密码？" in page
    assert "Sign in to Alpha Ltd" not in page

    browser.post("/i18n/setlang/", {"language": "en", "next": "/accounts/login/"})
    page = browser.get("/accounts/login/").content.decode()
    assert '<html lang="en">' in page and "Sign in to Alpha Ltd" in page and "登录" not in page


@pytest.mark.django_db
def test_language_switch_on_the_public_site():
    browser = Client(HTTP_HOST="localhost")
    assert "Plans and pricing" in browser.get("/").content.decode()
    browser.post("/i18n/setlang/", {"language": "zh-hans", "next": "/"})
    page = browser.get("/").content.decode()
    assert "套餐与价格" in page and "Plans and pricing" not in page
    assert "免费试用" in page


@pytest.mark.django_db
def test_the_switch_is_a_form_posting_to_set_language_with_autosubmit(tenant_a):
    page = Client(HTTP_HOST="alpha.localhost").get("/accounts/login/").content.decode()
    assert '<form action="/i18n/setlang/" method="post" class="language-switch">' in page
    assert '<select id="language-top" name="language" class="form-select form-select-sm" data-autosubmit>' in page
    assert '<option value="zh-hans" lang="zh-Hans">简体中文</option>' in page
    assert '<script src="/static/js/weft.js"></script>' in page


@pytest.mark.django_db
def test_tenant_default_language_applies_to_visitors_without_a_cookie(tenant_a):
    Tenant.objects.filter(pk=tenant_a.pk).update(language="zh-hans")

    page = Client(HTTP_HOST="alpha.localhost").get("/accounts/login/").content.decode()
    assert '<html lang="zh-hans">' in page and "登录" in page

    chose_english = Client(HTTP_HOST="alpha.localhost")
    chose_english.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = chose_english.get("/accounts/login/").content.decode()
    assert '<html lang="en">' in page and "登录" not in page


@pytest.mark.django_db
def test_other_tenants_keep_their_own_default(tenant_a, tenant_b):
    Tenant.objects.filter(pk=tenant_a.pk).update(language="zh-hans")
    page = Client(HTTP_HOST="beta.localhost").get("/accounts/login/").content.decode()
    assert '<html lang="en">' in page


def _po_entries():
    text = (settings.BASE_DIR / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po").read_text(encoding="utf-8")
    return [block for block in text.split("\n\n") if "msgid" in block]


def _strings(block: str, keyword: str) -> str:
    """The concatenated text of ``keyword "..." "..."`` in a .po entry."""
    out, active = [], False
    for line in block.splitlines():
        if line.startswith(keyword + " "):
            active = True
            out.append(line[len(keyword) + 1:].strip().strip('"'))
        elif active and line.startswith('"'):
            out.append(line.strip().strip('"'))
        else:
            active = False
    return "".join(out)


def test_every_message_has_a_chinese_translation_and_none_is_fuzzy():
    entries = _po_entries()
    assert len(entries) > 500
    header, messages = entries[0], entries[1:]
    assert "fuzzy" not in header and "Plural-Forms: nplurals=1; plural=0;" in header
    untranslated = []
    for block in messages:
        assert "#, fuzzy" not in block and ", fuzzy" not in block, block
        if block.lstrip().startswith("#~"):
            continue
        msgid = _strings(block, "msgid")
        translated = _strings(block, "msgstr[0]") if "msgid_plural" in block else _strings(block, "msgstr")
        if not translated:
            untranslated.append(msgid)
    assert untranslated == []


@pytest.mark.django_db
def test_signup_errors_from_django_validators_are_translated_too():
    browser = Client(HTTP_HOST="localhost")
    browser.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hans"
    response = browser.post("/signup/", {
        "company_name": "中文公司", "subdomain": "www", "admin_name": "王敏", "admin_email": "wang@example.test",
        "admin_password": "Ab1",
    })
    assert response.status_code == 400
    html = response.content.decode()
    assert "此子域名为系统保留。" in html
    assert "密码太短，至少需要 8 个字符。" in html
    assert "This password is too short" not in html
