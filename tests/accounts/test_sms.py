import io

import pytest
from django.core.exceptions import ImproperlyConfigured

from accounts import sms


def test_sms_send_locmem_keeps_the_message(sms_outbox):
    assert sms.sms_send(to="+84912345678", body="Mã: 123456") == 1
    assert sms_outbox == [sms.SmsMessage(to="+84912345678", body="Mã: 123456")]


def test_sms_file_backend_appends_to_a_daily_file(tmp_path, settings):
    settings.SMS_URL = f"file://{tmp_path}"
    sms.sms_send(to="+84912345678", body="Vé của bạn: ABC")
    sms.sms_send(to="+84987654321", body="Second")
    (log,) = tmp_path.glob("sms-*.log")
    text = log.read_text(encoding="utf-8")
    assert text.count("\t+84912345678\n") == 1
    assert "Vé của bạn: ABC\n" in text
    assert text.count("-" * 40) == 2


def test_sms_console_backend_writes_the_number_and_body():
    stream = io.StringIO()
    sent = sms.ConsoleBackend(stream=stream).send([sms.SmsMessage(to="+841", body="x")])
    assert sent == 1
    assert stream.getvalue() == "SMS to +841\nx\n" + "-" * 40 + "\n"


def test_sms_unknown_scheme_is_a_configuration_error():
    with pytest.raises(ImproperlyConfigured):
        sms.backend_from_url("carrier-pigeon://x")
