#!/usr/bin/python3
"""Writes cases.tsv for tests/pii: constructed PII positives and near-miss negatives, one per line.

Columns: type (the tag a positive must get; for a negative the kind it imitates), text, expected (the exact
substring a positive must be found as; empty for a near miss, where nothing may be found). Checksums are computed
here, independently of the C++ checks: Luhn for cards, ISO 13616 mod-97 for IBANs, GB 11643 for Chinese IDs.
Run: /usr/bin/python3 make_cases.py > cases.tsv
"""


def luhn_ok(digits):
    total = 0
    for i, c in enumerate(reversed(digits)):
        d = int(c)
        if i % 2 == 1:
            d = d * 2 - 9 if d * 2 > 9 else d * 2
        total += d
    return total % 10 == 0


def iban_ok(iban):
    s = iban.replace(" ", "")
    r = s[4:] + s[:4]
    return int("".join(str(int(c, 36)) for c in r)) % 97 == 1


def iban_with_check(country, bban):
    r = bban + country + "00"
    check = 98 - int("".join(str(int(c, 36)) for c in r)) % 97
    return f"{country}{check:02d}{bban}"


W = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]


def cn_id(first17):
    return first17 + "10X98765432"[sum(int(a) * b for a, b in zip(first17, W)) % 11]


def group4(s):
    return " ".join(s[i:i + 4] for i in range(0, len(s), 4))


cases = []


def pos(kind, before, value, after=""):
    cases.append((kind, before + value + after, value))


def neg(kind, text):
    cases.append((kind, text, ""))


# E-mail
pos("EMAIL", "write to ", "john.doe@example.com", " today")
pos("EMAIL", "cc: ", "a_b+tag@mail.co.uk")
pos("EMAIL", "联系 ", "wang.fang@163.com", "。")
neg("EMAIL", "no TLD: user@localhost here")
neg("EMAIL", "half an address: john.doe@example")
neg("EMAIL", "double dot: john..doe@example.com")
neg("EMAIL", "just an at sign: @ home")

# Phones (international and national formats)
pos("PHONE", "call ", "+1 555 123 4567", " now")
pos("PHONE", "London ", "+44 20 7946 0958")
pos("PHONE", "Berlin ", "+49 (0)30 1234567", ".")
pos("PHONE", "US office ", "(555) 123-4567")
pos("PHONE", "Büro ", "030-1234567")
pos("PHONE", "Paris ", "01 23 45 67 89")
neg("PHONE", "a date 2024-01-15 10:30")
neg("PHONE", "too short: +1 234")
neg("PHONE", "too long: +12345678901234567")
neg("PHONE", "extension only 555-1234")

# IPv4 / IPv6
pos("IP", "host ", "192.168.1.1", ".")
pos("IP", "gateway ", "10.0.0.255")
pos("IP", "v6 ", "2001:db8:85a3::8a2e:370:7334")
pos("IP", "link-local ", "fe80::1", " on eth0")
pos("IP", "loopback ", "::1")
pos("IP", "full ", "2001:0db8:0000:0000:0000:ff00:0042:8329")
pos("IP", "mapped ", "::ffff:192.0.2.128")
neg("IP", "bad octet 999.1.1.1 here")
neg("IP", "octet 256.1.1.1")
neg("IP", "version 1.2.3.4.5")
neg("IP", "time 12:30:45")
neg("IP", "two gaps 2001:db8::85a3::1")
neg("IP", "nine groups 1:2:3:4:5:6:7:8:9")
neg("IP", "C++ std::vector and a :: b")

# Credit cards (Luhn)
for n in ["4111111111111111", "5500000000000004", "378282246310005", "6011111111111117", "4222222222222"]:
    assert luhn_ok(n), n
pos("CARD", "visa ", group4("4111111111111111"))
pos("CARD", "mc ", "5500-0000-0000-0004")
pos("CARD", "amex ", "378282246310005", " exp 12/27")
pos("CARD", "discover ", "6011111111111117")
pos("CARD", "old visa ", "4222222222222")
assert not luhn_ok("4111111111111112")
neg("CARD", "wrong Luhn 4111 1111 1111 1112")
neg("CARD", "digit run too long 41111111111111111111")
neg("CARD", "order 411111111111")

# IBAN (mod 97, country length)
de = iban_with_check("DE", "370400440532013000")
gb = iban_with_check("GB", "WEST12345698765432")
fr = iban_with_check("FR", "20041010050500013M02606")
nl = iban_with_check("NL", "ABNA0417164300")
for i in [de, gb, fr, nl]:
    assert iban_ok(i), i
pos("IBAN", "pay to ", group4(de))
pos("IBAN", "UK ", group4(gb), " ref 7")
pos("IBAN", "FR ", fr)
pos("IBAN", "NL ", nl)
bad = de[:-1] + ("1" if de[-1] != "1" else "2")
assert not iban_ok(bad)
neg("IBAN", "wrong check " + group4(bad))
neg("IBAN", "short " + gb[:-2])
neg("IBAN", "unknown country ZZ89 3704 0044 0532 0130 00")

# Chinese resident ID (GB 11643)
ids = [cn_id("11010519491231002"), cn_id("44030419900307531"), cn_id("31010120000229123")]
assert ids[0] == "11010519491231002X"
pos("CN_ID", "身份证号 ", ids[0])
pos("CN_ID", "ID ", ids[1], " ok")
pos("CN_ID", "leap day ", ids[2])
wrong = ids[1][:17] + ("0" if ids[1][17] != "0" else "1")
neg("CN_ID", "wrong checksum " + wrong)
neg("CN_ID", "no such date " + cn_id("11010519990230002"))
neg("CN_ID", "not a leap year " + cn_id("31010119000229123"))
neg("CN_ID", "born in the future " + cn_id("11010530000101002"))

# Chinese mobile
pos("CN_MOBILE", "手机 ", "13812345678", "，")
pos("CN_MOBILE", "tel ", "+86 139 1234 5678")
pos("CN_MOBILE", "mobile ", "199-1234-5678")
neg("CN_MOBILE", "second digit 12812345678")
neg("CN_MOBILE", "longer run 138123456789")
neg("CN_MOBILE", "inside digits 913812345678")

# A user pattern (EMPLOYEE=EMP-\d{6}, see tst_pii.cpp)
pos("EMPLOYEE", "badge ", "EMP-123456")
neg("EMPLOYEE", "badge EMP-12345")

for kind, text, value in cases:
    assert "\t" not in text
    print(f"{kind}\t{text}\t{value}")
