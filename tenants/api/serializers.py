from django.utils.translation import gettext_lazy as _
from rest_framework import serializers


class SignupSerializer(serializers.Serializer):
    company_name = serializers.CharField(max_length=200, allow_blank=True, label=_("Company name"))
    subdomain = serializers.CharField(max_length=253, label=_("Subdomain"))
    admin_name = serializers.CharField(max_length=150, label=_("Your name"))
    admin_email = serializers.EmailField(label=_("Email"))
    admin_password = serializers.CharField(write_only=True, label=_("Password"), style={"input_type": "password"})
    plan = serializers.CharField(required=False, allow_blank=True, max_length=32, label=_("Plan"))
    language = serializers.ChoiceField(choices=["en", "zh-hans"], required=False, default="en")


class SignupResultSerializer(serializers.Serializer):
    subdomain = serializers.CharField()
    url = serializers.URLField()
    state = serializers.CharField()
    login_url = serializers.URLField(help_text="Single-use link (60 s) that signs the new admin in.")
