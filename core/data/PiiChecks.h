// The checks that turn a pattern match into a finding: checksums and range rules of the PII kinds Redact.h
// detects. Each takes the matched text as written (with its separators) and answers whether it is a real one, so a
// digit run that only looks like a card number or an ID is left alone.
#pragma once
#include <QtCore/QString>
#include <QtCore/QStringView>

namespace distillery::pii {

// Luhn (mod 10) over the digits of s, ignoring spaces and dashes; false for other characters.
bool luhnValid(QStringView s);

// Expected IBAN length for an ISO 3166 country code (ECBS/SWIFT registry), 0 when the country has no IBAN.
int ibanLength(QStringView country);
// s without spaces: country code, 2 check digits, BBAN of the country's length, ISO 13616 mod-97 == 1.
bool ibanValid(QStringView s);

// Chinese resident identity number (GB 11643-1999): 17 digits, check character (0-9 or X) from the weighted sum
// mod 11, a valid birth date YYYYMMDD at positions 7-14 between 1900-01-01 and today, region code not starting 0/9.
bool cnIdValid(QStringView s);

// Dotted-quad IPv4, four decimal octets 0-255 (leading zeros allowed, at most 3 digits each).
bool ipv4Valid(QStringView s);
// IPv6 text form (RFC 4291 2.2): eight 1-4 digit hex groups, at most one "::" standing for one or more zero
// groups, optionally ending in a dotted IPv4 (counting as two groups). "::" alone is refused.
bool ipv6Valid(QStringView s);

// Number of ASCII digits in s.
int digitCount(QStringView s);

}  // namespace distillery::pii
