// The "which scans" fields the Timelapse and Fetch pages share: satellite, product, band, sector, UTC
// start/end (date-time pickers) and source (auto, s3, cdn, or a local archive folder).
#pragma once

#include <QWidget>
#include <string>

#include "core/time.hpp"

class QComboBox;
class QSpinBox;
class QDateTimeEdit;
class QPushButton;
class QFormLayout;

namespace goesvfi::gui {

class QueryForm : public QWidget {
  Q_OBJECT
 public:
  // `memory` names the remembered local-archive folder; `source` is the initial source (fetch.source).
  QueryForm(const QString& memory, const QString& source, QWidget* parent = nullptr);
  // The form's layout, so a page can add rows of its own below.
  QFormLayout* form() const { return m_form; }
  std::string satellite_text() const;
  std::string product_text() const;
  std::string sector_text() const;
  std::string source_text() const;
  int band_value() const;
  UtcTime start() const;
  UtcTime end() const;
  void set_range(UtcTime start, UtcTime end);

  QComboBox *satellite, *product, *sector, *source;
  QSpinBox* band;
  QDateTimeEdit *start_time, *end_time;
  QPushButton* source_browse;

 private:
  QFormLayout* m_form;
};

}  // namespace goesvfi::gui
