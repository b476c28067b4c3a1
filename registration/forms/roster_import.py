"""Bulk import of athletes from CSV or Excel, the parsing half: read the upload, validate every row
with the athlete form's rules, build the preview (services.roster_import stages and commits it).

Nothing touches the disk: the upload is read from memory, and between preview and confirm the
valid rows wait in the cache (memory or Redis) as one MultiFernet-encrypted JSON payload under a
random key kept in the manager's session, for 30 minutes. Only the masked number is ever rendered.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import InMemoryUploadedFile
from django.core.files.uploadhandler import FileUploadHandler, StopUpload
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.debug import sensitive_variables

from registration.enums import AthleteGrade, AthleteSex, DocumentType, GuardianRelationship
from registration.errors import ImportFileError
from registration.forms.athletes import AthleteForm
from registration.models import Athlete, Delegation
from registration.services.athletes import AthleteData
from registration.services.encryption import mask_document
from ticketing.documents import document_hash

MAX_ROWS = 2000
MAX_BYTES = 5 * 1024 * 1024
# Excel keeps formatted-but-empty rows (the template formats 2001); past this many rows of any kind
# the file is refused without reading further, so a sheet of a million rows costs milliseconds.
MAX_SCANNED_ROWS = 10 * MAX_ROWS
# A 2000-row sheet unpacks to 1-3 MB of XML. openpyxl scans a whole sheet without a <dimension> on
# opening, so a sheet of a million rows (5 MB zipped, 55 MB unpacked) is refused from the zip
# directory before anything is parsed.
MAX_XLSX_UNPACKED_BYTES = 20 * 1024 * 1024
EXTRA_COLUMNS = 20  # columns read beyond the template's, for files with columns in another order

# (form field, Chinese header, English header, required column)
COLUMNS: list[tuple[str, str, str, bool]] = [
    ("family_name_zh", "姓", "Family name (Chinese)", False),
    ("given_name_zh", "名", "Given name (Chinese)", False),
    ("name_latin", "拼音或外文姓名", "Name in Latin letters", True),
    ("sex", "性别", "Sex", True),
    ("birth_date", "出生日期", "Birth date (YYYY-MM-DD)", True),
    ("document_type", "证件类型", "Document type", True),
    ("document_number", "证件号码", "Document number", True),
    ("emergency_contact_name", "紧急联系人", "Emergency contact", True),
    ("emergency_contact_phone", "紧急联系人电话", "Emergency contact phone", True),
    ("guardian_name", "监护人姓名", "Guardian's name", False),
    ("guardian_relationship", "与运动员关系", "Guardian's relationship", False),
    ("guardian_phone", "监护人电话", "Guardian's phone", False),
    ("guardian_email", "监护人邮箱", "Guardian's email", False),
    ("grade", "运动员技术等级", "Technical grade", False),
]
COLUMN_LABELS = {
    "family_name_zh": gettext_lazy("Family name (Chinese)"),
    "given_name_zh": gettext_lazy("Given name (Chinese)"),
    "name_latin": gettext_lazy("Name in Latin letters"),
    "sex": gettext_lazy("Sex"),
    "birth_date": gettext_lazy("Birth date"),
    "document_type": gettext_lazy("Document type"),
    "document_number": gettext_lazy("Document number"),
    "emergency_contact_name": gettext_lazy("Emergency contact"),
    "emergency_contact_phone": gettext_lazy("Emergency contact phone"),
    "guardian_name": gettext_lazy("Guardian's name"),
    "guardian_relationship": gettext_lazy("Guardian's relationship"),
    "guardian_phone": gettext_lazy("Guardian's phone"),
    "guardian_email": gettext_lazy("Guardian's email"),
    "grade": gettext_lazy("Technical grade"),
    "__all__": gettext_lazy("Row"),
}


def header_text(zh: str, en: str) -> str:
    return f"{zh} / {en}"


def _synonyms(choices) -> dict[str, str]:
    """Accept the code, the English label and the Chinese label of each choice (case-insensitive)."""

    table = {}
    for value, label in choices.choices:
        table[value.lower()] = value
        for language in ("en", "zh-hans"):
            with translation.override(language):
                table[str(label).lower()] = value
    return table


_EXTRA_SEX = {"m": AthleteSex.MALE, "f": AthleteSex.FEMALE, "男": AthleteSex.MALE, "女": AthleteSex.FEMALE}
_EXTRA_RELATIONSHIP = {"母": "mother", "父": "father", "监护人": "legal_guardian"}
# How grades are written on certificates and in rosters besides their full names.
_EXTRA_GRADE = {
    "无": AthleteGrade.NONE,
    "none": AthleteGrade.NONE,
    "三级": AthleteGrade.GRADE_3,
    "二级": AthleteGrade.GRADE_2,
    "一级": AthleteGrade.GRADE_1,
    "健将": AthleteGrade.MASTER,
    "国际健将": AthleteGrade.INTERNATIONAL,
    "国际级健将": AthleteGrade.INTERNATIONAL,
}
_EXTRA_DOCUMENT = {
    "身份证": DocumentType.RESIDENT_ID,
    "居民身份证": DocumentType.RESIDENT_ID,
    "护照": DocumentType.PASSPORT,
    "港澳台居民居住证": DocumentType.HKMO_TW_PERMIT,
    "居住证": DocumentType.HKMO_TW_PERMIT,
    "永居证": DocumentType.FOREIGN_PERMANENT_RESIDENCE,
    "外国人永久居留身份证": DocumentType.FOREIGN_PERMANENT_RESIDENCE,
}


@dataclass
class RowError:
    column: str
    message: str


@dataclass
class ImportRow:
    number: int  # spreadsheet row number (the header is row 1)
    name: str = ""
    name_zh: str = ""  # shown in the preview, so a manager sees a garbled file before confirming
    grade: str = ""  # the grade's label in the reader's language, shown in the preview
    masked: str = ""
    errors: list[RowError] = field(default_factory=list)
    data: AthleteData | None = None

    @property
    def ok(self) -> bool:
        return not self.errors


@dataclass
class ImportPreview:
    rows: list[ImportRow]

    @property
    def valid_rows(self) -> list[ImportRow]:
        return [row for row in self.rows if row.ok]

    @property
    def invalid_rows(self) -> list[ImportRow]:
        return [row for row in self.rows if not row.ok]

    @property
    def is_valid(self) -> bool:
        return bool(self.rows) and not self.invalid_rows


# --- templates ---------------------------------------------------------------------------------


def template_csv() -> bytes:
    """UTF-8 with a BOM so Excel opens the Chinese headers correctly."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([header_text(zh, en) for _key, zh, en, _req in COLUMNS])
    writer.writerow(_example_row())
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def _example_row() -> list[str]:
    return [
        "张",
        "伟",
        "ZHANG Wei",
        "male",
        "2014-05-01",
        "demo",
        "DEMO000001",
        "张敏",
        "13800000000",
        "张敏",
        "mother",
        "13800000000",
        "",
        "无等级",
    ]


def template_xlsx() -> bytes:
    """The same columns; the document column is formatted as text so Excel keeps all 18 digits."""
    from openpyxl import Workbook  # noqa: PLC0415  heavy optional library, loaded only when used

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "athletes"
    sheet.append([header_text(zh, en) for _key, zh, en, _req in COLUMNS])
    sheet.append(_example_row())
    for index, (key, *_rest) in enumerate(COLUMNS, start=1):
        letter = sheet.cell(row=1, column=index).column_letter
        sheet.column_dimensions[letter].width = 22
        if key in ("document_number", "birth_date", "emergency_contact_phone", "guardian_phone"):
            for row in range(1, MAX_ROWS + 2):
                sheet.cell(row=row, column=index).number_format = "@"
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


# --- reading -----------------------------------------------------------------------------------


def _header_index(headers: list[str]) -> dict[str, int]:
    wanted = {}
    for key, zh, en, _req in COLUMNS:
        for candidate in (key, zh, en, header_text(zh, en)):
            wanted[candidate.strip().lower()] = key
    index = {}
    for position, header in enumerate(headers):
        key = wanted.get((header or "").strip().lstrip("\ufeff").lower())
        if key and key not in index:
            index[key] = position
    missing = [header_text(zh, en) for key, zh, en, req in COLUMNS if req and key not in index]
    if missing:
        raise ImportFileError(
            _("The file is missing these columns: %(columns)s. Start from the template.")
            % {"columns": ", ".join(missing)}
        )
    return index


@sensitive_variables()
def _cell_text(value) -> tuple[str, bool]:
    """Text of a cell, and whether Excel stored it as a number."""
    if value is None:
        return "", False
    if isinstance(value, dt.datetime):
        return value.date().isoformat(), False
    if isinstance(value, dt.date):
        return value.isoformat(), False
    if isinstance(value, bool):
        return str(value), False
    if isinstance(value, int):
        return str(value), True
    if isinstance(value, float):
        return (str(int(value)) if value.is_integer() else str(value)), True
    return str(value).strip(), False


class BoundedMemoryUploadHandler(FileUploadHandler):
    """Keep uploaded files in memory, never on disk, and stop reading past `limit` bytes in all.

    Django spools uploads above FILE_UPLOAD_MAX_MEMORY_SIZE (2.5 MB) to a temporary file: a roster
    of children's ID numbers would sit in /tmp in clear. This handler replaces the default ones for
    the import view; `exceeded` tells the view why the file is missing.
    """

    def __init__(self, request=None, limit: int = MAX_BYTES):
        super().__init__(request)
        self.limit = limit
        self.received = 0
        self.exceeded = False

    def new_file(self, *args, **kwargs):
        super().new_file(*args, **kwargs)
        self.buffer = io.BytesIO()

    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)
        if self.received > self.limit:
            self.exceeded = True
            self.buffer = io.BytesIO()
            raise StopUpload(connection_reset=False)  # the parser discards the rest of the body
        self.buffer.write(raw_data)

    def file_complete(self, file_size):
        self.buffer.seek(0)
        return InMemoryUploadedFile(
            file=self.buffer,
            field_name=self.field_name,
            name=self.file_name,
            content_type=self.content_type,
            size=file_size,
            charset=self.charset,
            content_type_extra=self.content_type_extra,
        )


@sensitive_variables()
def read_rows(uploaded) -> list[tuple[int, dict[str, str], set[str]]]:
    """(row number, {field: text}, fields Excel stored as numbers) for each non-empty row.

    Reads lazily and stops at the first row past MAX_ROWS non-empty (or MAX_SCANNED_ROWS in all)."""
    name = (getattr(uploaded, "name", "") or "").lower()
    if getattr(uploaded, "size", 0) and uploaded.size > MAX_BYTES:
        raise ImportFileError(_("The file is larger than 5 MB."))
    content = uploaded.read()
    if name.endswith(".xlsx"):
        table = _xlsx_table(content)
    elif name.endswith(".csv") or name.endswith(".txt"):
        table = _csv_table(content)
    else:
        raise ImportFileError(_("Upload a .csv or .xlsx file."))
    try:
        return _rows_of(table)
    finally:
        table.close()


@sensitive_variables()
def _rows_of(table) -> list[tuple[int, dict[str, str], set[str]]]:
    too_many = ImportFileError(_("The file has more than %(max)s rows; split it.") % {"max": MAX_ROWS})
    header = next(table, None)
    if header is None:
        raise ImportFileError(_("The file is empty."))
    index = _header_index([_cell_text(cell)[0] for cell in header])
    rows = []
    for number, cells in enumerate(table, start=2):
        if number > MAX_SCANNED_ROWS + 1:
            raise too_many
        texts = [_cell_text(cell) for cell in cells]
        if not any(text for text, _numeric in texts):
            continue
        if len(rows) == MAX_ROWS:
            raise too_many
        values, numeric = {}, set()
        for key, position in index.items():
            text, is_number = texts[position] if position < len(texts) else ("", False)
            values[key] = text
            if is_number:
                numeric.add(key)
        rows.append((number, values, numeric))
    return rows


# Share of non-ASCII characters outside GB2312 (the 6,763 common hanzi, punctuation, full-width forms)
# above which text that decodes as GB18030 is taken for another encoding. A Chinese roster has a rare
# name character here and there; Shift-JIS read as GB18030 gives mostly rare characters (山田 -> 嶳揷).
MAX_RARE_SHARE = 0.25


def _plausible_gb18030(text: str) -> bool:
    wide = [char for char in text if ord(char) > 0x7F]
    if not wide:
        return True
    rare = 0
    for char in wide:
        try:
            char.encode("gb2312")
        except UnicodeEncodeError:
            rare += 1
    return rare <= MAX_RARE_SHARE * len(wide)


@sensitive_variables()
def _csv_decode(content: bytes) -> str:
    """The CSV as text: UTF-8 (with or without a BOM), else GB18030 when it reads as Chinese text.
    Anything else (Shift-JIS, Big5, Latin-1...) is refused rather than stored garbled."""
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        text = content.decode("gb18030")
    except UnicodeDecodeError:
        text = None
    if text is None or not _plausible_gb18030(text):
        raise ImportFileError(
            _(
                "The CSV file is neither UTF-8 nor Simplified Chinese (GB18030) text, so its names would be "
                "stored garbled. Save it again as “CSV UTF-8”, or start from the template."
            )
        )
    return text


@sensitive_variables()
def _csv_table(content: bytes) -> Iterator[list[str]]:
    text = _csv_decode(content)
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    return _csv_rows(csv.reader(io.StringIO(text), dialect))


# The row generators hold no plain text in their locals: a finished generator's frame has no f_back,
# so sensitive_variables on a caller would not cleanse it in an error report.
def _csv_rows(reader) -> Iterator[list[str]]:
    try:
        yield from reader
    except csv.Error as error:  # a field over csv.field_size_limit(), a stray NUL...
        raise ImportFileError(
            _(
                "Line %(line)s of the CSV file cannot be read (a very long field or a broken quote); save it again from Excel."
            )
            % {"line": reader.line_num}
        ) from error


@sensitive_variables()
def _xlsx_table(content: bytes) -> Iterator[tuple]:

    from openpyxl import load_workbook  # noqa: PLC0415  heavy optional library, loaded only when used

    try:
        unpacked = sum(member.file_size for member in zipfile.ZipFile(io.BytesIO(content)).infolist())
    except zipfile.BadZipFile as error:
        raise ImportFileError(_("The Excel file cannot be read; save it again as .xlsx.")) from error
    if unpacked > MAX_XLSX_UNPACKED_BYTES:
        raise ImportFileError(
            _("The Excel file holds too much data; keep only the athletes sheet with at most %(max)s rows.")
            % {"max": MAX_ROWS}
        )
    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds for a broken file
        raise ImportFileError(_("The Excel file cannot be read; save it again as .xlsx.")) from error
    return _xlsx_rows(workbook)


def _xlsx_rows(workbook) -> Iterator[tuple]:
    """openpyxl parses the sheet lazily, so a truncated or broken sheet fails here, mid-read."""
    try:
        yield from workbook.worksheets[0].iter_rows(max_col=len(COLUMNS) + EXTRA_COLUMNS, values_only=True)
    except Exception:
        # `from None`: the parser's frames hold the cells read so far (document numbers); chaining
        # them would carry those locals into any error report.
        raise ImportFileError(_("The Excel file cannot be read; save it again as .xlsx.")) from None
    finally:
        workbook.close()


# --- validating --------------------------------------------------------------------------------


def _map_choice(value: str, table: dict[str, str]) -> str:
    return table.get(value.strip().lower(), value.strip())


@sensitive_variables()
def validate_rows(*, delegation: Delegation, rows) -> ImportPreview:
    """Validate every row with the athlete form's rules, plus duplicates in the file and roster."""

    sexes = {**_synonyms(AthleteSex), **_EXTRA_SEX}
    documents = {**_synonyms(DocumentType), **_EXTRA_DOCUMENT}
    relationships = {**_synonyms(GuardianRelationship), **_EXTRA_RELATIONSHIP}
    grades = {**_synonyms(AthleteGrade), **_EXTRA_GRADE}
    on_roster = set(Athlete.objects.filter(delegation=delegation).values_list("document_hash", flat=True))
    seen: dict[str, int] = {}
    result = []
    for number, values, numeric in rows:
        values = dict(values)
        values["sex"] = _map_choice(values.get("sex", ""), sexes)
        values["document_type"] = _map_choice(values.get("document_type", ""), documents)
        if values.get("guardian_relationship"):
            values["guardian_relationship"] = _map_choice(values["guardian_relationship"], relationships)
        values["grade"] = _map_choice(values.get("grade", ""), grades)  # empty: no grade
        values["birth_date"] = values.get("birth_date", "").replace("/", "-").replace(".", "-")
        form = AthleteForm(data=values)
        row = ImportRow(
            number=number,
            name=values.get("name_latin", ""),
            name_zh=values.get("family_name_zh", "") + values.get("given_name_zh", ""),
        )
        if form.is_valid():
            data = form.athlete_data()
            row.grade = AthleteGrade(data.grade).label
            hashed = document_hash(data.document_number)
            row.masked = mask_document(data.document_number)
            if hashed in seen:
                row.errors.append(
                    RowError(
                        str(COLUMN_LABELS["document_number"]),
                        _("The same document is already in row %(row)s of this file.")
                        % {"row": seen[hashed]},
                    )
                )
            elif hashed in on_roster:
                row.errors.append(
                    RowError(
                        str(COLUMN_LABELS["document_number"]),
                        _("An athlete with this document is already on the roster."),
                    )
                )
            else:
                seen[hashed] = number
                row.data = data
        else:
            for key, messages in form.errors.items():
                for message in messages:
                    if key == "document_number" and "document_number" in numeric:
                        message = (
                            message
                            + " "
                            + _(
                                "Excel stored this number as a number and may have changed its last digits; "
                                "format the column as text."
                            )
                        )
                    row.errors.append(RowError(str(COLUMN_LABELS.get(key, key)), message))
        result.append(row)
    return ImportPreview(rows=result)


# --- staging and committing --------------------------------------------------------------------


class ImportUploadForm(forms.Form):
    # Lazy: a class attribute is built once, at import, in no reader's language.
    file = forms.FileField(
        label=gettext_lazy("CSV or Excel file"),
        help_text=gettext_lazy("Use the template; at most 2000 rows."),
    )

    def __init__(self, *args, too_large: bool = False, **kwargs):
        """`too_large`: the upload handler stopped reading past the size limit (no file arrived)."""
        super().__init__(*args, **kwargs)
        self.too_large = too_large
        if too_large:
            self.fields["file"].required = False

    def clean(self):
        if self.too_large:
            raise ValidationError({"file": _("The file is larger than 5 MB.")})
        return super().clean()


class ImportConfirmForm(forms.Form):
    import_valid_only = forms.BooleanField(
        required=False, label=gettext_lazy("Import only the valid rows and leave the rows with errors out")
    )
