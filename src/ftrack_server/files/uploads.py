"""Uploads: handing out upload URLs, receiving the PUTs, assembling multipart uploads.

Single-part (both clients): `get_upload_metadata` returns one URL carrying a
signed one-time token for the component, its announced size and checksum; the
PUT to it stores the bytes once size and checksum match.

Multipart (the JavaScript client, for large files): `get_upload_metadata`
with `parts` returns an `upload_id` (itself a signed token) and one URL per
part; each part PUT answers an ``ETag`` (the part's MD5); then
`complete_multipart_upload` checks the parts against their ETags and the
announced size, and joins them, in the batch that registers the component
in the location. The joined file replaces the component's bytes only when that
batch commits.
"""

from __future__ import annotations

import base64
import binascii
import mimetypes
import shutil
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from ..errors import ServerError
from ..signing import new_nonce
from .errors import UploadTokenError, ValidationError
from .receive import drain, size_mismatch, too_large, write_body
from .service import ComponentStorage
from .storage import CHUNK_SIZE
from . import tokens

#: Most parts one multipart upload may have (the JavaScript client plans at most 10,000).
MAX_PARTS = 10_000

#: How much of a rejected body is read and dropped so the client sees the answer.
_DRAIN_CAP = 64 * 1024 * 1024

_SINGLE, _PART, _MULTIPART = "file", "part", "multipart"


# Handing out URLs ------------------------------------------------------------------------------

def upload_metadata(
    files: ComponentStorage, base_url: str, component_id: Any, file_name: Any, file_size: Any,
    checksum: Any = None, parts: Any = None,
) -> dict:
    """The answer to `get_upload_metadata`: one URL with headers, or one URL per part."""
    if not isinstance(component_id, str) or not component_id.strip():
        raise ValidationError('get_upload_metadata needs a "component_id" string.')
    if not isinstance(file_name, str):
        raise ValidationError('get_upload_metadata needs a "file_name" string.')
    if isinstance(file_size, bool) or not isinstance(file_size, int) or file_size < 0:
        raise ValidationError(f'"file_size" must be a whole number of bytes, not {file_size!r}.')
    limit = files.settings.max_upload_size
    if limit is not None and file_size > limit:
        raise too_large(file_size, limit)
    if checksum is not None and _md5_of(checksum) is None:
        raise ValidationError(
            '"checksum" must be the base64 MD5 digest of the data (RFC 1864, 24 characters), '
            f"not {checksum!r}."
        )
    if parts is not None and (isinstance(parts, bool) or not isinstance(parts, int) or not 1 <= parts <= MAX_PARTS):
        raise ValidationError(f'"parts" must be a number of parts from 1 to {MAX_PARTS}, or null; not {parts!r}.')
    files.sweep()
    lifetime = files.settings.token_lifetime
    if parts is not None and parts > 1:
        upload = new_nonce()
        claims = {"c": component_id, "s": file_size, "u": upload, "P": parts}
        upload_id = files.signer.sign({"k": _MULTIPART, **claims}, lifetime)
        urls = [
            {
                "signed_url": _url(base_url, component_id, files.signer.sign({"k": _PART, **claims, "p": n}, lifetime), n),
                "part_number": n,
            }
            for n in range(1, parts + 1)
        ]
        return {"component_id": component_id, "upload_id": upload_id, "urls": urls}
    token = files.signer.sign({"k": _SINGLE, "c": component_id, "s": file_size, "m": checksum, "n": new_nonce()}, lifetime)
    headers = {
        "Content-Type": mimetypes.guess_type(file_name, strict=False)[0] or "application/octet-stream",
        "Content-Length": str(file_size),
    }
    if checksum is not None:
        headers["Content-MD5"] = checksum
    return {"url": _url(base_url, component_id, token), "headers": headers, "component_id": component_id}


def _url(base_url: str, component_id: str, token: str, part: int | None = None) -> str:
    query = {"id": component_id, "token": token} | ({"part": part} if part is not None else {})
    return f"{base_url}/component/upload?{urlencode(query)}"


def _md5_of(checksum: Any) -> bytes | None:
    """The digest a base64 Content-MD5 value stands for, or None when it is not one."""
    if not isinstance(checksum, str):
        return None
    try:
        digest = base64.b64decode(checksum.strip(), validate=True)
    except (binascii.Error, ValueError):
        return None
    return digest if len(digest) == 16 else None


# Receiving a PUT ------------------------------------------------------------------------------

async def receive(
    files: ComponentStorage, component_id: str | None, token: str | None, part: str | None,
    headers, body: AsyncIterator[bytes],
) -> str:
    """Store one PUT body for the upload `token` authorises; return its ETag (quoted MD5 hex)."""
    try:
        claims = tokens.verify(files.signer, token)
        if claims.get("k") not in (_SINGLE, _PART):
            raise UploadTokenError("This token is not an upload URL's token.")
        if component_id != claims.get("c"):
            raise UploadTokenError(
                f'The upload token is for component "{claims.get("c")}", not for "{component_id}".'
            )
        if claims["k"] == _PART and part is not None and part != str(claims.get("p")):
            raise UploadTokenError(f"The upload token is for part {claims.get('p')}, not for part {part}.")
    except UploadTokenError:
        await drain(body, CHUNK_SIZE)
        raise
    try:
        if claims["k"] == _SINGLE:
            return await _receive_file(files, claims, headers, body)
        return await _receive_part(files, claims, headers, body)
    except (ServerError, OSError):
        await drain(body, _DRAIN_CAP)
        raise


def _content_length(headers) -> int | None:
    value = headers.get("content-length")
    if value is None:
        return None
    if not value.strip().isdigit():
        raise ValidationError(f"Content-Length must be a number of bytes, not {value!r}.")
    return int(value)


def _check_length(length: int | None, announced: int, limit: int | None) -> None:
    if length is None:
        return
    if limit is not None and length > limit:
        raise too_large(length, limit)
    if length != announced:
        raise size_mismatch(length, announced)


async def _receive_file(files: ComponentStorage, claims: dict, headers, body: AsyncIterator[bytes]) -> str:
    storage, announced, limit = files.storage, claims["s"], files.settings.max_upload_size
    if storage.spent(claims["n"]):
        raise UploadTokenError("This upload URL has already been used; ask get_upload_metadata for a new one.")
    _check_length(_content_length(headers), announced, limit)
    expected_md5 = _expected_md5(claims.get("m"), headers.get("content-md5"))
    with storage.incoming_file() as (path, handle):
        received = await write_body(body, handle, announced, limit)
        if received.size != announced:
            raise size_mismatch(received.size, announced)
        _check_md5(received.md5, expected_md5)
        if not storage.spend(claims["n"]):
            raise UploadTokenError("This upload URL has already been used; ask get_upload_metadata for a new one.")
        storage.install(path, claims["c"])
    return f'"{received.md5.hex()}"'


async def _receive_part(files: ComponentStorage, claims: dict, headers, body: AsyncIterator[bytes]) -> str:
    storage, total, limit = files.storage, claims["s"], files.settings.max_upload_size
    if storage.spent(claims["u"]):
        raise UploadTokenError("This multipart upload was completed already; ask get_upload_metadata for a new one.")
    length = _content_length(headers)
    if length is not None and limit is not None and length > limit:
        raise too_large(length, limit)
    if length is not None and length > total:
        raise ValidationError(
            f"Part {claims['p']} has {length} bytes, more than the {total} bytes of the whole upload."
        )
    expected_md5 = _expected_md5(None, headers.get("content-md5"))
    folder = storage.part_dir(claims["u"])
    folder.mkdir(exist_ok=True)
    with storage.incoming_file() as (path, handle):
        received = await write_body(body, handle, total, limit)
        _check_md5(received.md5, expected_md5)
        etag = received.md5.hex()
        for older in folder.glob(f"{claims['p']}.*"):
            older.unlink(missing_ok=True)
        path.replace(folder / f"{claims['p']}.{etag}")
    return f'"{etag}"'


def _expected_md5(announced: str | None, header: str | None) -> bytes | None:
    if header is None:
        return _md5_of(announced) if announced else None
    digest = _md5_of(header)
    if digest is None:
        raise ValidationError(f"Content-MD5 must be a base64 MD5 digest (RFC 1864), not {header!r}.")
    if announced and _md5_of(announced) != digest:
        raise ValidationError(
            "The Content-MD5 header differs from the checksum given to get_upload_metadata. Nothing was stored."
        )
    return digest


def _check_md5(actual: bytes, expected: bytes | None) -> None:
    if expected is not None and actual != expected:
        raise ValidationError(
            "The data does not match its checksum (Content-MD5 "
            f"{base64.b64encode(expected).decode()}, received {base64.b64encode(actual).decode()}). "
            "Nothing was stored."
        )


# Completing a multipart upload ---------------------------------------------------------------

@dataclass(frozen=True)
class Joined:
    """A multipart upload joined into one file, waiting for its batch to commit."""

    component_id: str
    path: Path
    parts: Path
    upload: str


def assemble(files: ComponentStorage, upload_id: Any, component_id: Any, parts: Any) -> Joined:
    """Join the parts of a multipart upload into a file under ``incoming/``.

    The caller installs it (`finish_multipart`) once the batch commits, or
    discards it.
    """
    if not isinstance(upload_id, str):
        raise ValidationError('complete_multipart_upload needs the "upload_id" get_upload_metadata returned.')
    claims = tokens.verify(files.signer, upload_id)
    if claims.get("k") != _MULTIPART:
        raise UploadTokenError("This upload_id is not one get_upload_metadata returned for a multipart upload.")
    if component_id != claims["c"]:
        raise ValidationError(f'This upload is for component "{claims["c"]}", not for "{component_id}".')
    if files.storage.spent(claims["u"]):
        raise ValidationError("This multipart upload was completed already.")
    numbers = _part_numbers(parts, claims["P"])
    folder = files.storage.part_dir(claims["u"])
    pieces: list[Path] = []
    for number, etag in numbers:
        found = list(folder.glob(f"{number}.*")) if folder.is_dir() else []
        if not found:
            raise ValidationError(f"Part {number} of this upload was not received (or the upload was completed already).")
        if found[0].suffix[1:] != etag:
            raise ValidationError(f'Part {number} was received with ETag "{found[0].suffix[1:]}", not "{etag}".')
        pieces.append(found[0])
    total = sum(p.stat().st_size for p in pieces)
    if total != claims["s"]:
        raise size_mismatch(total, claims["s"])
    path = files.storage.incoming / f"joined-{new_nonce()}"
    try:
        with open(path, "wb") as target:
            for piece in pieces:
                with open(piece, "rb") as source:
                    files.storage.copy_into(source, target, total)
    except BaseException:
        files.storage.discard(path)
        raise
    return Joined(component_id, path, folder, claims["u"])


def _part_numbers(parts: Any, planned: int) -> list[tuple[int, str]]:
    if not isinstance(parts, list) or not parts:
        raise ValidationError('"parts" must list the uploaded parts as {"part_number", "e_tag"} objects.')
    out: list[tuple[int, str]] = []
    for item in parts:
        number = item.get("part_number") if isinstance(item, dict) else None
        etag = item.get("e_tag") if isinstance(item, dict) else None
        if isinstance(number, bool) or not isinstance(number, int) or not isinstance(etag, str):
            raise ValidationError(f'Each part must be {{"part_number": n, "e_tag": "…"}}, not {item!r}.')
        if not 1 <= number <= planned:
            raise ValidationError(f"Part {number} is not one of the {planned} parts of this upload.")
        if out and number <= out[-1][0]:
            raise ValidationError("Parts must be listed once each, in ascending part_number order.")
        out.append((number, etag.strip('"')))
    return out


def finish_multipart(files: ComponentStorage, joined: Joined) -> None:
    """After commit: the joined file becomes the component's bytes; the parts go."""
    files.storage.install(joined.path, joined.component_id)
    files.storage.spend(joined.upload)
    shutil.rmtree(joined.parts, ignore_errors=True)

