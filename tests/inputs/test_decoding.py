import codecs
import gzip
import io
import os
import sys
import threading
import time
import zlib

import pytest

from cleaner.errors import InputError
from cleaner.inputs.compression import open_decompressed
from cleaner.inputs.decoding import (
    DEFAULT_MAX_BYTES,
    MAX_LINE_CHARS,
    MAX_LINES,
    check_encoding,
    check_line_length,
    decode,
    format_size,
    parse_size,
    read_bytes,
    read_text,
)

FRENCH = (
    "Le café de la gare était fermé ce matin. « C’est la vie », a dit le chef de gare, déçu.\n"
    "Les voyageurs ont attendu le prochain train sous la pluie, près du kiosque à journaux.\n"
    "Noël approche et les rues sont décorées de guirlandes lumineuses jusqu’à la mairie.\n"
) * 3
RUSSIAN = (
    "Вчера вечером в парке было много людей, которые гуляли и отдыхали после работы.\n"
    "Москва является столицей России и крупнейшим городом страны по численности населения.\n"
) * 3
CHINESE = "中华人民共和国是位于东亚的国家。今天天气很好，我们去公园散步吧。\n首页\n新闻\n联系我们\n" * 3


def assert_one_line(err: pytest.ExceptionInfo[InputError]) -> str:
    message = str(err.value)
    assert message and "\n" not in message
    return message


# --- what decodes, and to what ---------------------------------------------------------------


def test_utf8_is_the_fast_path_and_keeps_line_endings():
    decoded = decode("Grüße\r\naus München\rund Köln\n".encode())
    assert decoded.text == "Grüße\r\naus München\rund Köln\n"
    assert decoded.encoding == "utf-8" and not decoded.bom


def test_utf8_bom_is_dropped():
    decoded = decode(codecs.BOM_UTF8 + "Überschrift\n".encode())
    assert decoded.text == "Überschrift\n"
    assert decoded.bom


@pytest.mark.parametrize("codec", ["utf-16", "utf-16-le", "utf-16-be", "utf-32", "utf-32-le", "utf-32-be"])
def test_utf16_and_utf32_with_bom(codec):
    bom = {"utf-16-le": codecs.BOM_UTF16_LE, "utf-16-be": codecs.BOM_UTF16_BE,
           "utf-32-le": codecs.BOM_UTF32_LE, "utf-32-be": codecs.BOM_UTF32_BE}.get(codec, b"")
    decoded = decode(bom + "Ünïcode text\r\nline two\n".encode(codec))
    assert decoded.text == "Ünïcode text\r\nline two\n"
    assert decoded.bom


@pytest.mark.parametrize("text, codec", [(FRENCH, "cp1252"), (RUSSIAN, "cp1251"), (CHINESE, "gbk")])
def test_legacy_encodings_are_left_to_charset_normalizer(text, codec):
    decoded = decode(text.encode(codec))
    assert decoded.text == text
    assert decoded.encoding != "utf-8"


# Pages in the single-byte codec Windows writes for their language (issue 12 #10): charset-normalizer alone
# read the Western ones as cp1250 ("años" -> "ańos", "não" -> "năo"), a French one as mac_latin2, a Polish one
# as cp1252; Central-European text must stay cp1250.
WESTERN_PAGES = {
    "es": "Inicio | Noticias | Contacto\n\nEl Gobierno aprobó ayer una reforma que afectará a millones de "
          "españoles. Según el ministro, la medida entrará en vigor el próximo año.\n\nHace años que no vivo allí.\n",
    "pt": "Início | Notícias | Opinião\n\nO governo português anunciou hoje novas medidas para a habitação. "
          "Não sei se a informação está correta.\n\nPartilhar no Facebook\n",
    "fr": "Le café de la gare était fermé ce matin. Noël approche, déçu, où, à côté, cœur.\n",
    "it": "Città più belle d'Italia: perché è così difficile scegliere? Però la qualità è alta.\n",
    "sv": "Regeringen har presenterat en ny plan för bostäder. Många människor i Göteborg och Malmö väntar.\n",
    "ca": "El Govern ha aprovat avui una nova llei d'habitatge. Segons la consellera, la mesura entrarà en vigor "
          "l'any vinent i afectarà milers de famílies.\n",
    "is": "Ríkisstjórnin kynnti í dag nýja áætlun um húsnæðismál. Þetta er mikilvægt skref fyrir fjölskyldur.\n",
}
CENTRAL_PAGES = {
    "pl": "Strona główna | Wiadomości | Kontakt\n\nRząd przyjął w środę projekt ustawy o odnawialnych źródłach "
          "energii. Zażółć gęślą jaźń.\n",
    "pl-short": "Dzień dobry, jak się masz?\n",
    "cs": "Příliš žluťoučký kůň úpěl ďábelské ódy. Vláda ve středu schválila návrh zákona.\n",
    "cs-short": "Dobrý den, jak se máte? Všechno je v pořádku.\n",
    "hu": "Árvíztűrő tükörfúrógép. A kormány szerdán elfogadta a megújuló energiáról szóló törvényjavaslatot.\n",
    "ro": "Guvernul a aprobat miercuri un proiect de lege privind energia regenerabilă. Potrivit ministrului, "
          "noile reguli vor intra în vigoare anul viitor.\n",
}


@pytest.mark.parametrize("language", sorted(WESTERN_PAGES))
def test_western_pages_in_cp1252_are_read_as_cp1252(language):
    decoded = decode(WESTERN_PAGES[language].encode("cp1252"))
    assert (decoded.text, decoded.encoding) == (WESTERN_PAGES[language], "cp1252")
    assert 0.5 < decoded.confidence <= 1


@pytest.mark.parametrize("language", sorted(CENTRAL_PAGES))
def test_central_european_pages_in_cp1250_stay_cp1250(language):
    decoded = decode(CENTRAL_PAGES[language].encode("cp1250"))
    assert (decoded.text, decoded.encoding) == (CENTRAL_PAGES[language], "cp1250")
    assert 0.5 < decoded.confidence <= 1


@pytest.mark.parametrize("text, codec", [
    ("Hükümet bugün yeni bir yasa tasarısını onayladı. Bakan, kuralların gelecek yıl yürürlüğe gireceğini "
     "söyledi. Işık, ağaç, şehir.\n", "cp1254"),
    ("Vyriausybė šiandien patvirtino naują įstatymo projektą dėl atsinaujinančios energijos.\n", "cp1257"),
])
def test_turkish_and_baltic_pages_get_their_windows_codec(text, codec):
    assert (decode(text.encode(codec)).text, decode(text.encode(codec)).encoding) == (text, codec)


def test_a_declared_charset_decides_between_tied_candidates():
    data = "Menú: Ñu\n".encode("cp1252")  # no language to tell; cp1250 and cp1252 tie
    assert decode(data).encoding == "cp1252"
    declared = decode(data, declared="cp1250")
    assert (declared.text, declared.encoding) == ("Menú: Ńu\n", "cp1250")


def test_confidence_is_certain_for_marks_utf8_and_forced_codecs_and_lower_for_a_tie():
    assert decode("Grüße\n".encode()).confidence == 1.0
    assert decode(codecs.BOM_UTF16_LE + "Grüße\n".encode("utf-16-le")).confidence == 1.0
    assert decode("Grüße\n".encode("cp1252"), "cp1252").confidence == 1.0
    assert decode("Menú: Ñu\n".encode("cp1252")).confidence <= 0.5


def test_forced_encoding_is_used_as_is():
    data = "Voilà\n".encode("cp1252")
    assert decode(data, "cp1252").text == "Voilà\n"
    assert decode(data, "latin-1").encoding == "iso8859-1"


def test_forced_utf8_still_drops_the_bom():
    assert decode(codecs.BOM_UTF8 + b"abc\n", "utf-8").text == "abc\n"


@pytest.mark.parametrize("forced", [None, "utf-16", "utf-16-be"])
def test_a_byte_order_mark_is_named_exactly_and_never_text(forced):
    """issue 12 #8: the mark is dropped (also with a forced codec) and named with its byte order."""
    decoded = decode(codecs.BOM_UTF16_BE + "Grüße\n".encode("utf-16-be"), forced)
    assert (decoded.text, decoded.encoding, decoded.bom) == ("Grüße\n", "utf-16", "utf-16-be")
    decoded = decode(codecs.BOM_UTF8 + "Grüße\n".encode(), None if forced is None else "utf-8")
    assert (decoded.text, decoded.encoding, decoded.bom) == ("Grüße\n", "utf-8-sig", "utf-8")


def test_a_mark_reading_codec_forced_on_bytes_without_a_mark_is_named_by_what_it_read():
    assert (decode(b"abc\n", "utf-8-sig").encoding, decode(b"abc\n", "utf-8-sig").bom) == ("utf-8", None)
    native = "utf-16-le" if sys.byteorder == "little" else "utf-16-be"
    assert decode("abc\n".encode(native), "utf-16").encoding == native


# --- what is refused, in one line ------------------------------------------------------------


@pytest.mark.parametrize("data, expected", [
    (b"", "empty file"),
    (b" \n\t\r\n  ", "only whitespace"),
    (codecs.BOM_UTF8, "only whitespace"),
    (codecs.BOM_UTF16_LE + "  \n".encode("utf-16-le"), "only whitespace"),
    ("\u00a0\u2003\n".encode(), "only whitespace"),
])
def test_empty_inputs(data, expected):
    with pytest.raises(InputError) as err:
        decode(data)
    assert expected in assert_one_line(err)


def test_nul_bytes_without_bom_mean_binary():
    with pytest.raises(InputError) as err:
        decode(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    assert "binary" in assert_one_line(err)


def test_utf16_without_bom_is_binary_but_the_message_says_what_to_do():
    with pytest.raises(InputError) as err:
        decode("plain text\n".encode("utf-16-le"))
    assert "--encoding utf-16-le" in assert_one_line(err)
    assert decode("plain text\n".encode("utf-16-le"), "utf-16-le").text == "plain text\n"


def test_many_control_characters_mean_binary():
    with pytest.raises(InputError) as err:
        decode(b"ab\x01\x02\x03\x04\x05\x06cd\x07\x08\x0e\x0f\n" * 20)
    assert "binary" in assert_one_line(err)


def test_a_few_control_characters_are_fine():
    assert decode(b"page one\x0cpage two\x1b[0m and more words here to dilute it\n").text.startswith("page one")


def test_bytes_nothing_can_decode_are_undecodable():
    with pytest.raises(InputError) as err:
        decode(bytes(range(0x80, 0x100)) * 4)
    assert "undecodable" in assert_one_line(err)
    assert "--encoding" in str(err.value)


@pytest.mark.parametrize("data, line", [
    (FRENCH.encode() + "Café crème\n".encode("cp1252"), 10),  # UTF-8 page, one Latin-1 line
    (FRENCH.encode("cp1252") + "It’s here\n".encode(), 1),  # cp1252 page, one UTF-8 quote
    (RUSSIAN.encode() + "Привет\n".encode("cp1251"), 7),  # UTF-8 Cyrillic, one cp1251 line
])
def test_mixed_encodings_are_named_and_located(data, line):
    with pytest.raises(InputError) as err:
        decode(data)
    message = assert_one_line(err)
    assert message.startswith("mixed encodings")
    assert f"on line {line}" in message
    assert "--encoding" in message


def test_mixed_input_decodes_when_the_user_chooses():
    data = FRENCH.encode() + "Café crème\n".encode("cp1252")
    assert decode(data, "cp1252").text.endswith("Café crème\n")


def test_forced_encoding_that_does_not_fit_is_an_input_error():
    with pytest.raises(InputError) as err:
        decode("Grüße\n".encode("utf-16-le"), "utf-8")
    assert "cannot decode as utf-8" in assert_one_line(err)


@pytest.mark.parametrize("name", ["no-such-codec", "rot13", "base64"])
def test_unknown_or_non_text_codecs_are_refused(name):
    with pytest.raises(LookupError) as err:
        check_encoding(name)
    assert name in str(err.value) and "\n" not in str(err.value)


def test_known_codec_names_are_normalised():
    assert check_encoding("UTF8") == "utf-8"
    assert check_encoding("latin_1") == "iso8859-1"


# --- reading, with a size limit --------------------------------------------------------------


def test_read_text_from_a_file(tmp_path):
    path = tmp_path / "page.txt"
    path.write_bytes(codecs.BOM_UTF8 + b"hello\r\n")
    assert read_text(path).text == "hello\r\n"


def test_too_large_file_is_refused_before_reading(tmp_path):
    path = tmp_path / "big.txt"
    path.write_bytes(b"word " * 300)
    with pytest.raises(InputError) as err:
        read_bytes(path, max_bytes=1024)
    message = assert_one_line(err)
    assert "too large" in message and "1 KiB" in message and "--max-size" in message
    assert read_bytes(path, max_bytes=1500) == b"word " * 300


class CountingStream(io.BytesIO):
    def __init__(self, data: bytes) -> None:
        super().__init__(data)
        self.consumed = 0

    def read(self, size: int | None = -1) -> bytes:
        chunk = super().read(size)
        self.consumed += len(chunk)
        return chunk


def test_stdin_reads_at_most_limit_plus_one_byte():
    stream = CountingStream(b"x" * 10_000)
    with pytest.raises(InputError) as err:
        read_bytes("-", max_bytes=100, stdin=stream)
    assert "too large" in assert_one_line(err)
    assert stream.consumed == 101


def test_stdin_within_the_limit():
    assert read_text("-", stdin=io.BytesIO(b"hi there\n")).text == "hi there\n"


def _pipe_writer(parts: list[bytes], pause: float) -> tuple[io.BufferedReader, threading.Thread]:
    """The read end of a pipe whose writer sends ``parts`` with ``pause`` seconds between them."""
    read_end, write_end = os.pipe()

    def write() -> None:
        for part in parts:
            time.sleep(pause)
            os.write(write_end, part)
        os.close(write_end)

    writer = threading.Thread(target=write)
    writer.start()
    return open(read_end, "rb"), writer


@pytest.mark.skipif(os.name != "posix", reason="pipes are read without blocking on POSIX only")
def test_a_slow_pipe_is_read_whole_and_left_blocking():
    parts = [b"First part of the page. ", b"Second part, after a pause. ", b"The end.\n"]
    stream, writer = _pipe_writer(parts, 0.05)
    with stream:
        head = stream.peek(5)[:5]  # a sniffed head stays in the stream's buffer
        assert read_bytes("-", stdin=stream) == b"".join(parts)
        assert head == parts[0][:5]
        assert os.get_blocking(stream.fileno())  # the descriptor's flags are restored
    writer.join()


@pytest.mark.skipif(os.name != "posix", reason="pipes are read without blocking on POSIX only")
def test_a_pipe_over_the_limit_is_refused():
    stream, writer = _pipe_writer([b"x" * 600, b"y" * 600], 0.01)
    with stream, pytest.raises(InputError, match="too large"):
        read_bytes("-", max_bytes=1000, stdin=stream)
    writer.join()


def test_a_page_of_too_many_lines_is_refused_in_one_line(tmp_path):
    path = tmp_path / "lines.txt"
    path.write_bytes(b"a\n" * (MAX_LINES + 1))  # 600 KB: far below the size limit
    with pytest.raises(InputError) as err:
        read_bytes(path)
    assert assert_one_line(err) == f"too many lines ({MAX_LINES + 1:,}, over the {MAX_LINES:,} limit a page may hold)"
    path.write_bytes(b"a\n" * MAX_LINES)
    assert len(read_bytes(path)) == 2 * MAX_LINES
    with pytest.raises(InputError, match="too many lines"):
        read_bytes("-", stdin=io.BytesIO(b"b\r" * (MAX_LINES + 1)))  # lines ended by CR only


def test_a_line_over_the_line_length_limit_is_refused_in_one_line():
    over = "Short first line.\n" + "x" * (MAX_LINE_CHARS + 1) + "\nlast\n"
    with pytest.raises(InputError) as err:
        check_line_length(over)
    expected = f"line 2 too long ({MAX_LINE_CHARS + 1:,} characters, over the {MAX_LINE_CHARS:,} limit a line may hold)"
    assert assert_one_line(err) == expected
    under = "Short first line.\r\n" + "x" * MAX_LINE_CHARS + "\r\n" + "y" * MAX_LINE_CHARS  # endings do not count
    assert check_line_length(under) is under
    with pytest.raises(InputError, match="^line 3 too long"):
        check_line_length("a\rb\r" + "z" * (MAX_LINE_CHARS + 1))  # lines ended by CR only


def test_missing_file_and_folder_are_input_errors(tmp_path):
    with pytest.raises(InputError, match="no such file"):
        read_bytes(tmp_path / "missing.txt")
    with pytest.raises(InputError, match="is a directory"):
        read_bytes(tmp_path)


# --- sizes -----------------------------------------------------------------------------------


@pytest.mark.parametrize("text, size", [
    ("20M", 20 * 1024 * 1024), ("20MiB", 20 * 1024 * 1024), ("20MB", 20_000_000), ("500k", 512_000),
    ("1048576", 1048576), ("1.5K", 1536), ("2G", 2 * 1024**3), (" 7 ", 7), ("100b", 100),
])
def test_parse_size(text, size):
    assert parse_size(text) == size


@pytest.mark.parametrize("text", ["", "abc", "-5M", "0", "12Q", "M"])
def test_parse_size_refuses_nonsense(text):
    with pytest.raises(ValueError):
        parse_size(text)


def test_default_limit_is_20_mib():
    assert parse_size("20M") == DEFAULT_MAX_BYTES
    assert format_size(DEFAULT_MAX_BYTES) == "20 MiB"
    assert format_size(1536) == "1.5 KiB"
    assert format_size(12) == "12 bytes"


# --- compressed inputs -----------------------------------------------------------------------

PAGE_BYTES = FRENCH.encode()


def zstd(data: bytes) -> bytes:
    import zstandard

    return zstandard.ZstdCompressor().compress(data)


@pytest.mark.parametrize("name, pack", [
    ("page.txt.gz", gzip.compress),
    ("page.html.zst", zstd),
    ("page.txt", gzip.compress),  # told by content, not by name
    ("two-members.gz", lambda data: gzip.compress(data[:50]) + gzip.compress(data[50:])),
    ("two-frames.zst", lambda data: zstd(data[:50]) + zstd(data[50:])),
])
def test_compressed_files_are_decompressed(tmp_path, name, pack):
    path = tmp_path / name
    path.write_bytes(pack(PAGE_BYTES))
    assert read_bytes(path) == PAGE_BYTES
    assert read_text(path).text == FRENCH


@pytest.mark.parametrize("pack", [gzip.compress, zstd])
def test_compressed_stdin(pack):
    assert read_bytes("-", stdin=io.BytesIO(pack(PAGE_BYTES))) == PAGE_BYTES
    assert read_bytes("-", stdin=CountingStream(pack(PAGE_BYTES))) == PAGE_BYTES  # no peek: replayed magic


@pytest.mark.parametrize("pack", [gzip.compress, zstd])
def test_zip_bomb_stops_at_the_decompressed_limit(pack):
    member = pack(b"\0" * 10_000_000)
    bomb = member * (1_000_000 // len(member) + 1)  # members or frames of zeros: gigabytes from 1 MB
    stream = CountingStream(bomb)
    with pytest.raises(InputError) as err:
        read_bytes("-", max_bytes=100_000, stdin=stream)
    assert "too large" in assert_one_line(err)
    assert stream.consumed < len(bomb)  # stopped long before the end


def test_limit_applies_to_the_decompressed_size(tmp_path):
    data = os.urandom(20_000)  # incompressible: the gzip file is bigger than its content
    path = tmp_path / "random.bin.gz"
    path.write_bytes(gzip.compress(data))
    assert path.stat().st_size > 20_000
    assert read_bytes(path, max_bytes=20_000) == data
    small = tmp_path / "small.txt.gz"
    small.write_bytes(gzip.compress(b"word " * 10_000))
    with pytest.raises(InputError, match="too large"):
        read_bytes(small, max_bytes=20_000)


@pytest.mark.parametrize("data, expected", [
    (gzip.compress(PAGE_BYTES)[:-12], "truncated gzip data"),
    (gzip.compress(PAGE_BYTES)[:5], "truncated gzip data"),
    (gzip.compress(PAGE_BYTES) + b"trailing garbage", "corrupt gzip data"),
    (gzip.compress(PAGE_BYTES)[:-8] + b"\0\0\0\0" + gzip.compress(PAGE_BYTES)[-4:], "corrupt gzip data"),  # CRC
    (b"\x1f\x8b\x08\x00not really gzip", "corrupt gzip data"),
    (zstd(PAGE_BYTES)[:-3], "truncated zstd data"),
    (zstd(PAGE_BYTES) + b"trailing garbage", "corrupt zstd data"),
])
def test_damaged_compressed_input_is_a_one_line_error(tmp_path, data, expected):
    path = tmp_path / "page.txt.gz"
    path.write_bytes(data)
    with pytest.raises(InputError) as err:
        read_bytes(path)
    assert expected in assert_one_line(err)


def test_zero_padding_after_gzip_members_is_allowed():
    assert read_bytes("-", stdin=io.BytesIO(gzip.compress(PAGE_BYTES) + b"\0" * 100)) == PAGE_BYTES


def test_open_decompressed_leaves_plain_streams_alone():
    with open(__file__, "rb") as raw:
        assert open_decompressed(raw) is raw
    plain = open_decompressed(CountingStream(b"plain text\n"))
    assert plain.read() == b"plain text\n"


def test_open_decompressed_reads_everything_before_the_damage():
    lines = b"".join(b"line %d %s\n" % (n, os.urandom(6).hex().encode()) for n in range(20_000))
    cut = gzip.compress(lines)[:-50]
    stream = open_decompressed(io.BytesIO(cut))
    read: list[bytes] = []
    with pytest.raises(InputError, match="truncated gzip"):
        while line := stream.readline():
            read.append(line)
    expected = zlib.decompressobj(zlib.MAX_WBITS | 16).decompress(cut)
    complete = expected[: expected.rindex(b"\n") + 1]
    assert b"".join(read) == complete  # every whole line, and not the cut one
