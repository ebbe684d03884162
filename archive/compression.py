"""Raw page bodies, zstd-compressed, optionally with a dictionary trained on the site's own pages.

Article pages are mostly chrome (menus, sidebars, scripts, footer) shared by every page; one page
compresses on its own to about an eighth of its size, but with a dictionary that has learnt the chrome
to about a thirtieth. The archive trains one from its first captures and stores it, and each capture
names the dictionary it needs (`captures.dictionary_id`), so a later dictionary (after a redesign)
never makes older captures unreadable. Frames carry their content size and a checksum.
"""

from __future__ import annotations

import zstandard

COMPRESSION_LEVEL = 9
DICTIONARY_SIZE = 128 * 1024  # room for a whole page of chrome
DICTIONARY_SAMPLES = 32  # captures to learn from; training is retried every this many until it works


def train_dictionary(samples: list[bytes], size: int = DICTIONARY_SIZE) -> bytes | None:
    """A zstd dictionary learnt from `samples`, or None when they are too few or too small to teach one."""
    if sum(map(len, samples)) < 4 * 1024:
        return None
    try:
        return zstandard.train_dictionary(size, samples, level=COMPRESSION_LEVEL).as_bytes()
    except zstandard.ZstdError:
        return None


class Codec:
    """Compresses and decompresses bodies, keeping one (de)compressor per dictionary id."""

    def __init__(self, level: int = COMPRESSION_LEVEL):
        self.level = level
        self._dictionaries: dict[int, zstandard.ZstdCompressionDict] = {}
        self._compressors: dict[int | None, zstandard.ZstdCompressor] = {}
        self._decompressors: dict[int | None, zstandard.ZstdDecompressor] = {}

    def knows(self, dictionary_id: int) -> bool:
        return dictionary_id in self._dictionaries

    def add_dictionary(self, dictionary_id: int, data: bytes) -> None:
        self._dictionaries[dictionary_id] = zstandard.ZstdCompressionDict(data)

    def forget_dictionary(self, dictionary_id: int) -> None:
        """Drop a dictionary whose row was rolled back, so its id can't be used for another."""
        self._dictionaries.pop(dictionary_id, None)
        self._compressors.pop(dictionary_id, None)
        self._decompressors.pop(dictionary_id, None)

    def compress(self, body: bytes, dictionary_id: int | None = None) -> bytes:
        compressor = self._compressors.get(dictionary_id)
        if compressor is None:
            dictionary = self._dictionaries[dictionary_id] if dictionary_id is not None else None
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
