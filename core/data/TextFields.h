// Where a row keeps its text, for the steps that rewrite it in place (cleaning's normalisation, augmentation):
//
//   text               text
//   alpaca             instruction, input, output            (prompt side: instruction, input)
//   prompt_completion  prompt, completion                    (prompt side: prompt)
//   messages           messages[].content (strings)          (prompt side: role "user")
//   sharegpt           conversations[].value                 (prompt side: from "human")
//
// Other fields (ids, metadata, roles) are never touched. DataSchema.h reads these fields; this writes them.
#pragma once
#include <QtCore/QJsonObject>
#include <QtCore/QString>

#include <functional>

namespace distillery {

enum class TextSide {
  All,      // every text field above
  Prompts,  // only what the user side writes: the model is never trained to produce it (text: the text)
};

// Calls fn on each string of row's text fields (field non-empty: that one field, if it is a string, whatever
// the schema) and stores the result back where it differs. Returns how many strings changed.
int rewriteTextFields(QJsonObject& row, const QString& schema, const QString& field, TextSide side,
                      const std::function<QString(const QString&)>& fn);

}  // namespace distillery
