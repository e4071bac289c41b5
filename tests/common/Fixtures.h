// Where tests find their reference data.
//
//   fixturesDir()  the shared reference fixtures (tiny-llama/, tiny-qwen2/, tokenizers/, ...): $DISTILLERY_FIXTURES,
//                  else $DISTILLERY_FIXTURES_DEFAULT (ctest sets it), else ../shared/fixtures beside the source root
//   testDataDir()  tests/data of this source tree (small files and the scripts that made them):
//                  $DISTILLERY_TEST_DATA (ctest sets it), else <source root>/tests/data
//
// Both work when a test binary is started by hand, without ctest.
#pragma once
#include <QtCore/QDir>
#include <QtCore/QFileInfo>
#include <QtCore/QString>
#include <QtCore/QtGlobal>

// <source root>, from this header's own location (tests/common/Fixtures.h).
inline QString sourceRootDir() {
  return QDir::cleanPath(QFileInfo(QStringLiteral(__FILE__)).absolutePath() + QStringLiteral("/../.."));
}

inline QString fixturesDir() {
  for (const char* variable : {"DISTILLERY_FIXTURES", "DISTILLERY_FIXTURES_DEFAULT"}) {
    const QString dir = qEnvironmentVariable(variable);
    if (!dir.isEmpty()) return QDir::cleanPath(dir);
  }
  return QDir::cleanPath(sourceRootDir() + QStringLiteral("/../shared/fixtures"));
}

inline QString testDataDir() {
  const QString dir = qEnvironmentVariable("DISTILLERY_TEST_DATA");
  if (!dir.isEmpty()) return QDir::cleanPath(dir);
  return QDir::cleanPath(sourceRootDir() + QStringLiteral("/tests/data"));
}

// A path inside fixturesDir(), e.g. fixture("tiny-llama/model.safetensors").
inline QString fixture(const QString& relative) { return fixturesDir() + QLatin1Char('/') + relative; }
