"""What an uploaded file may be, judged by its content and not only by its name.

Every upload door (activity attachments, a report's workbook, the activity import) calls
`upload_check` with the type the file claims; each turns `UploadRefused` into its own answer
(a form error, an import problem), with the message it carries.

- PDF, PNG and JPEG start with their signature, and carry no web page (a file that is both
  a PDF and an HTML page with a script is refused).
- An .xlsx or .docx is a zip holding only the parts such a file holds (no .html, .js or macro
  member, no member whose content is a web page), and unpacks to a bounded size with a bounded
  compression ratio: both read from the zip's directory before anything is unpacked, so a
  100 KB file that would unpack to gigabytes costs nothing. (Python's zipfile never unpacks a
  member beyond the size its directory declares, so the bound holds for openpyxl too.)
- A CSV is text: no NUL byte, not a web page, UTF-8 or Windows-1252.
"""

import io
import re
import zipfile
import zlib
from typing import BinaryIO

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.utils.translation import gettext as _

# A spreadsheet or document attached or uploaded here unpacks to a few MB at most.
MAX_UNPACKED_BYTES = 30 * 1024 * 1024
# Office XML compresses 5-20 times; far more is a zip bomb. Small files are let off the ratio.
MAX_COMPRESSION_RATIO = 100
RATIO_CHECKED_FROM_BYTES = 1024 * 1024
MAX_MEMBERS = 2000
SNIFF_BYTES = 64 * 1024
MEMBER_SNIFF_BYTES = 1024

SIGNATURES = {"pdf": b"%PDF-", "png": b"\x89PNG\r\n\x1a\n", "jpg": b"\xff\xd8\xff"}
# The folder of an Office file's own parts, and the part that says which kind it is.
OFFICE_PARTS = {"xlsx": ("xl/", "xl/workbook.xml"), "docx": ("word/", "word/document.xml")}
# Folders every OOXML package may hold besides its own.
PACKAGE_FOLDERS = ("_rels/", "docProps/", "customXml/")
# What an Office part may be: XML, relationships, legacy drawings, pictures, embedded fonts,
# printer settings and embedded workbooks and documents (a chart's data).
MEMBER_EXTENSIONS = frozenset(
    {
        "xml",
        "rels",
        "vml",
        "png",
        "jpeg",
        "jpg",
        "gif",
        "emf",
        "wmf",
        "tif",
        "tiff",
        "bmp",
        "odttf",
        "fntdata",
        "xlsx",
        "docx",
    }
)
# A web page, wherever it hides: what browsers sniff as HTML.
HTML = re.compile(
    rb"<(?:!doctype\s+html|html|head|body|script|iframe|svg|object|embed)[\s>/]", re.I
)
BOM = b"\xef\xbb\xbf"


class UploadRefused(Exception):
    """The file is not what it claims to be; `str()` says why, for the person who sent it.
    `reason`: "content", "parts", "unpacked" or "encoding"."""

    def __init__(self, message: str, *, reason: str):
        super().__init__(message)
        self.reason = reason


def upload_check(file: BinaryIO | bytes, *, kind: str, max_unpacked: int = MAX_UNPACKED_BYTES):
    """Refuse (UploadRefused) a file whose content is not a `kind` file: "pdf", "png", "jpg",
    "xlsx", "docx" or "csv". Leaves a file object at its start."""
    data = file if isinstance(file, bytes | bytearray) else None
    stream = io.BytesIO(data) if data is not None else file
    stream.seek(0)
    head = stream.read(SNIFF_BYTES)
    stream.seek(0)
    try:
        if kind in SIGNATURES:
            if not head.startswith(SIGNATURES[kind]) or HTML.search(head):
                raise _not_a(kind)
        elif kind in OFFICE_PARTS:
            if not head.startswith(b"PK\x03\x04"):
                raise _not_a(kind)
            _check_office(stream, kind=kind, max_unpacked=max_unpacked)
        elif kind == "csv":
            _check_text(head, kind=kind)
        else:
            raise _not_a(kind)
    finally:
        stream.seek(0)


def _not_a(kind: str) -> UploadRefused:
    return UploadRefused(
        _("The file's content is not a .%(type)s file.") % {"type": kind}, reason="content"
    )


def _check_office(stream: BinaryIO, *, kind: str, max_unpacked: int) -> None:
    folder, marker = OFFICE_PARTS[kind]
    try:
        with zipfile.ZipFile(stream) as archive:
            members = archive.infolist()
            if len(members) > MAX_MEMBERS:
                raise _unpacks_too_far(max_unpacked)
            _check_sizes(members, max_unpacked)
            names = {m.filename for m in members}
            if marker not in names or "[Content_Types].xml" not in names:
                raise _not_a(kind)
            strange = sorted(m.filename for m in members if not _is_part(m.filename, folder))
            if strange:
                raise UploadRefused(
                    _("The file holds parts a .%(type)s file does not: %(names)s.")
                    % {"type": kind, "names": ", ".join(strange[:5])},
                    reason="parts",
                )
            for member in members:
                if _member_is_markup(member.filename):
                    with archive.open(member) as part:
                        if not _is_xml(part.read(MEMBER_SNIFF_BYTES)):
                            raise _not_a(kind)
    except (
        zipfile.BadZipFile,
        zipfile.LargeZipFile,
        NotImplementedError,
        ValueError,
        OSError,
        EOFError,
        zlib.error,
    ):  # an unreadable zip, an unknown compression, broken data
        raise _not_a(kind) from None


def _check_sizes(members: list[zipfile.ZipInfo], max_unpacked: int) -> None:
    unpacked = sum(m.file_size for m in members)
    packed = sum(m.compress_size for m in members)
    if unpacked > max_unpacked:
        raise _unpacks_too_far(max_unpacked)
    if unpacked > RATIO_CHECKED_FROM_BYTES and unpacked > MAX_COMPRESSION_RATIO * max(packed, 1):
        raise _unpacks_too_far(max_unpacked)


def _unpacks_too_far(max_unpacked: int) -> UploadRefused:
    message = _("The file unpacks to more than a spreadsheet or document should (%(size)s MB).")
    return UploadRefused(message % {"size": f"{max_unpacked / (1024 * 1024):g}"}, reason="unpacked")


def _is_part(name: str, folder: str) -> bool:
    if name.startswith("/") or "\\" in name or ".." in name.split("/"):
        return False
    if name == "[Content_Types].xml":
        return True
    if name.endswith("/"):  # a folder entry
        return name.startswith((folder, *PACKAGE_FOLDERS))
    if not name.startswith((folder, *PACKAGE_FOLDERS)):
        return False
    extension = name.rsplit(".", 1)[-1].lower() if "." in name.rsplit("/", 1)[-1] else ""
    if extension == "bin":  # printer settings only: a macro project is a .bin too
        return "/printerSettings/" in f"/{name}"
    return extension in MEMBER_EXTENSIONS


def _member_is_markup(name: str) -> bool:
    return name.lower().endswith((".xml", ".rels", ".vml"))


def _is_xml(head: bytes) -> bool:
    """An XML part starts with markup and is no web page."""
    text = head.removeprefix(BOM).lstrip()
    return (not text or text.startswith(b"<")) and not HTML.search(head)


def _check_text(head: bytes, *, kind: str) -> None:
    if b"\x00" in head or head.removeprefix(BOM).lstrip().startswith(b"<") or HTML.search(head):
        raise _not_a(kind)  # binary, or a web page renamed .csv
    # A multi-byte character may be cut at the end of the sniffed block.
    sample = head if len(head) < SNIFF_BYTES else head[:-4]
    for encoding in ("utf-8", "cp1252"):
        try:
            sample.decode(encoding)
        except UnicodeDecodeError:
            continue
        return
    raise UploadRefused(
        _("The file's characters cannot be read: it is neither UTF-8 nor Windows-1252 text."),
        reason="encoding",
    )


# --- Attachments: activity attachments and call applications' documents ------------------

# Extension -> the content type we serve it with. ".jpeg" is stored as ".jpg".
ATTACHMENT_TYPES = {
    "pdf": "application/pdf",
    "png": "image/png",
    "jpg": "image/jpeg",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "csv": "text/csv",
}
EXTENSION_ALIASES = {"jpeg": "jpg"}


def attachment_response(upload) -> FileResponse:
    """A kept upload (core.models.StoredUpload) served as a download, with the name it had and
    the content type of its extension; 404 when its file is gone. The caller checks the
    scope first."""
    try:
        handle = upload.file.open("rb")
    except FileNotFoundError:
        raise Http404(_("The file is missing.")) from None
    return FileResponse(
        handle,
        as_attachment=True,
        filename=upload.original_name,
        content_type=ATTACHMENT_TYPES.get(upload.extension, "application/octet-stream"),
    )


def attachment_max_bytes() -> int:
    return int(getattr(settings, "ACTIVITY_ATTACHMENT_MAX_BYTES", 10 * 1024 * 1024))


def attachment_extension(name: str) -> str:
    """The file name's extension, lower case, ".jpeg" as "jpg"; "" without one."""
    _stem, dot, extension = (name or "").rpartition(".")
    extension = extension.lower() if dot else ""
    return EXTENSION_ALIASES.get(extension, extension)


def attachment_check(*, name: str, size: int, file: BinaryIO) -> str:
    """The file's extension if it may be attached; ValidationError saying why not otherwise."""
    extension = attachment_extension(name)
    if extension not in ATTACHMENT_TYPES:
        raise ValidationError(
            {
                "file": _("Attach a file of one of these types: %(types)s.")
                % {"types": ", ".join(sorted(ATTACHMENT_TYPES))}
            }
        )
    limit = attachment_max_bytes()
    if size > limit:
        raise ValidationError(
            {
                "file": _("The file is too large: at most %(size)s MB.")
                % {"size": f"{limit / (1024 * 1024):g}"}
            }
        )
    if size == 0:
        raise ValidationError({"file": _("The file is empty.")})
    try:
        upload_check(file, kind=extension)
    except UploadRefused as refusal:
        raise ValidationError({"file": str(refusal)}) from None
    return extension
