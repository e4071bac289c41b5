// The only way ui/ includes QCustomPlot. qcustomplot.h uses Qt's lower-case keywords, which QT_NO_KEYWORDS
// (needed because Qt's `slots` clashes with torch) turns off, so they are mapped for the include alone.
#pragma once
#include <QtCore/qglobal.h>

#pragma push_macro("signals")
#pragma push_macro("slots")
#pragma push_macro("emit")
#pragma push_macro("foreach")
#define signals Q_SIGNALS
#define slots Q_SLOTS
#define emit Q_EMIT
#define foreach Q_FOREACH
#include <qcustomplot.h>
#pragma pop_macro("foreach")
#pragma pop_macro("emit")
#pragma pop_macro("slots")
#pragma pop_macro("signals")
