"""Document validation: GB 11643 resident IDs, residence permits, the 2023 foreign permanent-residence
card, passports, demo numbers; every message in English and Chinese."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from registration.enums import AthleteSex, DocumentType
from registration.validators import province_table, validate_document
from tests.factories.registration import gb11643_check, resident_id

TODAY = dt.date(2027, 3, 1)


def error_of(**kwargs) -> ValidationError:
    with pytest.raises(ValidationError) as caught:
        validate_document(today=TODAY, **kwargs)
    return caught.value


def messages_in_both(**kwargs) -> tuple[str, str]:
    with translation.override("en"):
        english = error_of(**kwargs).messages[0]
    with translation.override("zh-hans"):
        chinese = error_of(**kwargs).messages[0]
    return english, chinese


def with_check(body17: str) -> str:
    return body17 + gb11643_check(body17)


def test_known_valid_numbers_pass_and_are_normalised():
    boy = resident_id(dt.date(2014, 3, 2), AthleteSex.MALE)
    girl = resident_id(dt.date(2013, 12, 31), AthleteSex.FEMALE, area="320102", sequence=7)
    assert validate_document(document_type=DocumentType.RESIDENT_ID, number=boy, today=TODAY) == boy
    spaced = f" {girl[:6]} {girl[6:14]}-{girl[14:].lower()} "
    assert validate_document(document_type=DocumentType.RESIDENT_ID, number=spaced, today=TODAY) == girl


def test_a_number_ending_in_x_is_accepted_in_lower_case():
    # Search bodies until the check character is X (10), to cover that branch.
    for sequence in range(500):
        body = f"31010120140302{sequence:03d}"
        if gb11643_check(body) == "X":
            break
    number = (body + "X").lower()
    assert validate_document(document_type=DocumentType.RESIDENT_ID, number=number, today=TODAY).endswith("X")


def test_wrong_check_character_is_refused_in_both_languages():
    valid = resident_id(dt.date(2014, 3, 2))
    wrong = valid[:17] + ("0" if valid[17] != "0" else "1")
    english, chinese = messages_in_both(document_type=DocumentType.RESIDENT_ID, number=wrong)
    assert english == "The last character of the ID number does not match the others; check it for a typo."
    assert chinese == "身份证号码最后一位与前面的数字不符，请检查是否输错。"


FULL_WIDTH = str.maketrans("0123456789X-", "０１２３４５６７８９Ｘ－")


@pytest.mark.parametrize("part", ["all", "middle"])
def test_full_width_digits_are_stored_as_the_same_ascii_number(part):
    # A Chinese input method in full-width mode types ３１０１０１…; it must hash like the ASCII number,
    # or the same child could sit twice on one roster.
    from ticketing.documents import document_hash

    number = resident_id(dt.date(2014, 3, 2))
    typed = (
        number.translate(FULL_WIDTH)
        if part == "all"
        else number[:6] + number[6:17].translate(FULL_WIDTH) + number[17]
    )
    stored = validate_document(document_type=DocumentType.RESIDENT_ID, number=typed, today=TODAY)
    assert stored == number
    assert document_hash(stored) == document_hash(number)


def test_digits_of_other_scripts_are_refused_in_both_languages():
    arabic_indic = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")
    number = resident_id(dt.date(2014, 3, 2))
    english, chinese = messages_in_both(
        document_type=DocumentType.RESIDENT_ID,
        number=number[:6] + number[6:14].translate(arabic_indic) + number[14:],
    )
    assert english == "An ID number has 18 characters: 17 digits, then a digit or X."
    assert chinese == "证件号码应为18位：17位数字加1位数字或X。"


def test_fifteen_digit_numbers_are_refused():
    english, chinese = messages_in_both(document_type=DocumentType.RESIDENT_ID, number="310101140302001")
    assert "15-digit" in english
    assert "15位" in chinese


def test_wrong_length_is_refused():
    english, chinese = messages_in_both(document_type=DocumentType.RESIDENT_ID, number="31010120140302")
    assert english == "An ID number has 18 characters: 17 digits, then a digit or X."
    assert chinese == "证件号码应为18位：17位数字加1位数字或X。"


@pytest.mark.parametrize("prefix", ["00", "10", "16", "20", "39", "47", "60", "66", "70", "99"])
def test_unknown_province_codes_are_refused(prefix):
    number = with_check(f"{prefix}0101201403020011"[:17])
    english, chinese = messages_in_both(document_type=DocumentType.RESIDENT_ID, number=number)
    assert english == f"The first two digits ({prefix}) are not a Chinese province code."
    assert chinese == f"前两位（{prefix}）不是有效的省级行政区划代码。"


def test_every_listed_province_is_accepted():
    for code in province_table()["provinces"]:
        number = with_check(f"{code}0101201403020011"[:17])
        assert validate_document(document_type=DocumentType.RESIDENT_ID, number=number, today=TODAY) == number


def test_impossible_birth_date_is_refused():
    number = with_check("31010120130229001")  # 2013 is not a leap year
    english, chinese = messages_in_both(document_type=DocumentType.RESIDENT_ID, number=number)
    assert english == "Characters 7 to 14 of the ID number are not a real birth date."
    assert chinese == "身份证号码第7至14位不是有效的出生日期。"


def test_future_birth_date_is_refused():
    number = with_check("31010120270302001")
    english, chinese = messages_in_both(document_type=DocumentType.RESIDENT_ID, number=number)
    assert english == "The birth date in the ID number (2027-03-02) is in the future."
    assert chinese == "身份证号码中的出生日期（2027-03-02）晚于今天。"


def test_birth_date_must_agree_with_the_form_naming_both():
    number = resident_id(dt.date(2014, 3, 2))
    english, chinese = messages_in_both(
        document_type=DocumentType.RESIDENT_ID, number=number, birth_date=dt.date(2014, 3, 3)
    )
    assert english == "The ID number gives the birth date 2014-03-02, but the form says 2014-03-03."
    assert chinese == "证件号码中的出生日期为 2014-03-02，但表单填写的是 2014-03-03。"


def test_sex_must_agree_with_the_form():
    number = resident_id(dt.date(2014, 3, 2), AthleteSex.FEMALE)
    english, chinese = messages_in_both(
        document_type=DocumentType.RESIDENT_ID, number=number, sex=AthleteSex.MALE
    )
    assert english == "The ID number is for a female athlete, but the form says male."
    assert chinese == "证件号码显示运动员性别为女，但表单填写的是男。"


@pytest.mark.parametrize("area", ["810000", "820000", "830000"])
def test_residence_permits_use_the_same_check(area):
    number = resident_id(dt.date(2012, 7, 1), AthleteSex.FEMALE, area=area)
    assert validate_document(document_type=DocumentType.HKMO_TW_PERMIT, number=number, today=TODAY) == number


def test_residence_permit_number_entered_as_resident_id_points_to_the_right_type():
    number = resident_id(dt.date(2012, 7, 1), area="810000")
    english, chinese = messages_in_both(document_type=DocumentType.RESIDENT_ID, number=number)
    assert "residence permit" in english
    assert chinese == "这是港澳台居民居住证号码，请选择对应的证件类型。"


def test_residence_permit_needs_its_area_code():
    number = resident_id(dt.date(2012, 7, 1))
    english, chinese = messages_in_both(document_type=DocumentType.HKMO_TW_PERMIT, number=number)
    assert (
        english
        == "A Hong Kong, Macao or Taiwan residence permit number starts with 810000, 820000 or 830000."
    )
    assert chinese == "港澳台居民居住证号码以 810000、820000 或 830000 开头。"


def test_foreign_permanent_residence_card_2023():
    number = with_check("93184020130615001")  # 9, province 31, nationality 840, born 2013-06-15
    assert (
        validate_document(
            document_type=DocumentType.FOREIGN_PERMANENT_RESIDENCE,
            number=number,
            birth_date=dt.date(2013, 6, 15),
            today=TODAY,
        )
        == number
    )
    other = with_check("13184020130615001")
    english, chinese = messages_in_both(document_type=DocumentType.FOREIGN_PERMANENT_RESIDENCE, number=other)
    assert english == "A foreign permanent resident ID number starts with 9."
    assert chinese == "外国人永久居留身份证号码以9开头。"
    broken = number[:17] + ("0" if number[17] != "0" else "1")
    with pytest.raises(ValidationError):
        validate_document(document_type=DocumentType.FOREIGN_PERMANENT_RESIDENCE, number=broken, today=TODAY)


@pytest.mark.parametrize("document_type", [DocumentType.PASSPORT, DocumentType.TRAVEL_PERMIT])
def test_passports_and_travel_permits_are_bounded(document_type):
    assert validate_document(document_type=document_type, number="e1234 5678", today=TODAY) == "E12345678"
    for bad in ("E123", "E" * 21, "E1234/567"):
        english, chinese = messages_in_both(document_type=document_type, number=bad)
        assert english == "Passport and travel-permit numbers have 5 to 20 letters and digits."
        assert chinese == "护照和通行证号码为5至20位字母或数字。"


def test_demo_numbers_must_say_demo():
    assert (
        validate_document(document_type=DocumentType.DEMO, number="demo000123", today=TODAY) == "DEMO000123"
    )
    english, chinese = messages_in_both(
        document_type=DocumentType.DEMO, number=resident_id(dt.date(2014, 3, 2))
    )
    assert english == "Demo document numbers start with DEMO followed by up to 16 letters or digits."
    assert chinese == "演示证件号码以 DEMO 开头，后接最多16位字母或数字。"


def test_empty_number_and_type_are_refused():
    english, chinese = messages_in_both(document_type=DocumentType.PASSPORT, number="  ")
    assert (english, chinese) == ("Enter the document number.", "请输入证件号码。")
    english, chinese = messages_in_both(document_type="", number="E12345678")
    assert (english, chinese) == ("Choose a document type.", "请选择证件类型。")


def test_province_table_is_versioned_data_with_sources():
    table = province_table()
    assert table["version"] and table["sources"]
    assert set(table["residence_permit_area_codes"]) == {"810000", "820000", "830000"}
    assert len(table["provinces"]) == 32
