"""Raw page bodies, zstd-compressed against a dictionary made of the site's own pages.

Article pages are mostly chrome (menus, sidebars, scripts, footer) that every page repeats. One page
compresses on its own to about a sixth of its size; given a few earlier pages of the site as a
dictionary, zstd finds the chrome there and a page shrinks to about its article text, a thirtieth.

The dictionary is *raw content* (earlier bodies, concatenated), not one trained by zstd's COVER
algorithm: trained dictionaries came out erratic on these pages (a dictionary asked for more room than
the samples fill came out up to three times worse), raw content was steadily the best, and it is plain
to explain. Each capture names the dictionary it needs (`captures.dictionary_id`); a new dictionary
(after a redesign) leaves older captures readable with theirs. Frames carry their size and a checksum.
"""

from __future__ import annotations

import zstandard

# Level 3 with a precomputed dictionary: a page costs ~0.3 ms instead of ~1.2 ms at level 9, for an
# archive ~6 % larger (measured on replica pages; see BENCHMARKS.md). The crawl is CPU-bound.
COMPRESSION_LEVEL = 3
DICTIONARY_PAGES = 4  # bodies a dictionary is made of: several, so varying sidebars are covered too
DICTIONARY_SIZE_AT_MOST = 512 * 1024


def make_dictionary(samples: list[bytes]) -> bytes:
    """A raw-content dictionary from sample bodies, the latest last (zstd reaches near matches more
    cheaply), cut to `DICTIONARY_SIZE_AT_MOST` from the front."""
    return b"".join(samples)[-DICTIONARY_SIZE_AT_MOST:]


_ZSTD_MAGIC = b"\x28\xb5\x2f\xfd"
_DICTIONARY_LEVEL = 19  # a few pages, compressed once per dictionary: the smallest form is worth it


def pack_dictionary(data: bytes) -> bytes:
    """A dictionary as stored: itself zstd-compressed (it is whole pages, so it shrinks ~10×)."""
    return zstandard.ZstdCompressor(level=_DICTIONARY_LEVEL, write_checksum=True).compress(data)


def unpack_dictionary(stored: bytes) -> bytes:
    """The dictionary from its stored form. Older archives stored it raw: raw content is page
    bytes, which never open with zstd's frame magic."""
    if stored[:4] == _ZSTD_MAGIC:
        return zstandard.ZstdDecompressor().decompress(stored)
    return stored


class Codec:
    """Compresses and decompresses bodies, keeping one (de)compressor per dictionary id
    (`None`: no dictionary)."""

    def __init__(self, level: int = COMPRESSION_LEVEL):
        self.level = level
        self._dictionaries: dict[int, zstandard.ZstdCompressionDict] = {}
        self._compressors: dict[int | None, zstandard.ZstdCompressor] = {}
        self._decompressors: dict[int | None, zstandard.ZstdDecompressor] = {}

    def knows(self, dictionary_id: int) -> bool:
        return dictionary_id in self._dictionaries

    def add_dictionary(self, dictionary_id: int, data: bytes) -> None:
        self._dictionaries[dictionary_id] = zstandard.ZstdCompressionDict(
            data, dict_type=zstandard.DICT_TYPE_RAWCONTENT
        )

    def forget_dictionary(self, dictionary_id: int) -> None:
        """Drop a dictionary whose row was rolled back, so its id can't be used for another."""
        self._dictionaries.pop(dictionary_id, None)
        self._compressors.pop(dictionary_id, None)
        self._decompressors.pop(dictionary_id, None)

    def compress(self, body: bytes, dictionary_id: int | None = None) -> bytes:
        compressor = self._compressors.get(dictionary_id)
        if compressor is None:
            dictionary = self._dictionaries[dictionary_id] if dictionary_id is not None else None
            if dictionary is not None:
                dictionary.precompute_compress(level=self.level)  # once per dictionary, not per page
            compressor = zstandard.ZstdCompressor(level=self.level, dict_data=dictionary, write_checksum=True)
            self._compressors[dictionary_id] = compressor
        return compressor.compress(body)

    def decompress(self, blob: bytes, dictionary_id: int | None = None) -> bytes:
        decompressor = self._decompressors.get(dictionary_id)
        if decompressor is None:
            dictionary = self._dictionaries[dictionary_id] if dictionary_id is not None else None
            decompressor = zstandard.ZstdDecompressor(dict_data=dictionary)
            self._decompressors[dictionary_id] = decompressor
        return decompressor.decompress(blob)


# A version's `body_html` repeats its `body_text` between tags, so it is stored compressed with that
# text as a raw-content dictionary: what is left to store is mostly the markup.
# Level 6 stores replica markup in the same bytes as 9 (250 on average) at 0.15 ms instead of 0.36;
# 3 is 7 % larger, 19 cost 5 % of a whole crawl for little.
_MARKUP_LEVEL = 6


def compress_markup(html: str, text: str) -> bytes:
    dictionary = _text_dictionary(text)
    return zstandard.ZstdCompressor(level=_MARKUP_LEVEL, dict_data=dictionary, write_checksum=True).compress(
        html.encode("utf-8")
    )


def decompress_markup(blob: bytes, text: str) -> str:
    return zstandard.ZstdDecompressor(dict_data=_text_dictionary(text)).decompress(blob).decode("utf-8")


def _text_dictionary(text: str) -> zstandard.ZstdCompressionDict | None:
    data = text.encode("utf-8")
    # zstd needs a few bytes of content to use a raw dictionary; shorter texts are not worth one.
    return zstandard.ZstdCompressionDict(data, dict_type=zstandard.DICT_TYPE_RAWCONTENT) if len(data) >= 8 else None
