#include "gui/query_form.hpp"

#include <QComboBox>
#include <QDateTimeEdit>
#include <QFileDialog>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QPushButton>
#include <QSpinBox>
#include <QTimeZone>

#include "gui/context.hpp"

namespace goesvfi::gui {

namespace {
QDateTimeEdit* utc_edit(const QDateTime& value, QWidget* parent) {
  auto* edit = new QDateTimeEdit(value, parent);
  edit->setTimeSpec(Qt::UTC);
  edit->setDisplayFormat("yyyy-MM-dd HH:mm 'UTC'");
  edit->setCalendarPopup(true);
  return edit;
}
QDateTime to_qt(UtcTime t) {
  return QDateTime::fromMSecsSinceEpoch(
      std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count(), QTimeZone::utc());
}
UtcTime from_qt(const QDateTime& t) {
  return UtcTime(std::chrono::milliseconds(t.toMSecsSinceEpoch()));
}
}  // namespace

QueryForm::QueryForm(const QString& memory, const QString& initial_source, QWidget* parent)
    : QWidget(parent) {
  m_form = new QFormLayout(this);
  m_form->setContentsMargins(0, 0, 0, 0);
  satellite = new QComboBox;
  satellite->addItems({"east", "west", "G16", "G17", "G18", "G19"});
  satellite->setToolTip(tr("east/west are resolved by date"));
  product = new QComboBox;
  product->setEditable(true);
  product->addItems(
      {"ABI-L2-CMIPF", "ABI-L2-CMIPC", "ABI-L2-CMIPM", "ABI-L1b-RadF", "ABI-L1b-RadC", "ABI-L1b-RadM"});
  band = new QSpinBox;
  band->setRange(1, 16);
  band->setValue(13);
  sector = new QComboBox;
  sector->addItems({"", "M1", "M2"});
  sector->setToolTip(tr("M1 or M2 for mesoscale products"));
  const QDateTime now = QDateTime::currentDateTimeUtc();
  const QDateTime hour(now.date(), QTime(now.time().hour(), 0), QTimeZone::utc());
  start_time = utc_edit(hour.addSecs(-3 * 3600), this);
  end_time = utc_edit(hour.addSecs(-2 * 3600), this);
  source = new QComboBox;
  source->setEditable(true);
  source->addItems({"auto", "s3", "cdn"});
  source->setCurrentText(initial_source);
  source->setToolTip(tr("auto, s3, cdn, or a local archive folder in the NOAA bucket layout"));
  source_browse = new QPushButton(tr("Local folder…"));
  auto* source_box = new QWidget;
  auto* source_row = new QHBoxLayout(source_box);
  source_row->setContentsMargins(0, 0, 0, 0);
  source_row->addWidget(source, 1);
  source_row->addWidget(source_browse);
  connect(source_browse, &QPushButton::clicked, this, [this, memory] {
    const QString dir =
        QFileDialog::getExistingDirectory(this, tr("Local archive"), GuiContext::last_folder(memory));
    if (dir.isEmpty()) return;
    source->setCurrentText(dir);
    GuiContext::remember_folder(memory, dir);
  });
  m_form->addRow(tr("&Satellite:"), satellite);
  m_form->addRow(tr("&Product:"), product);
  m_form->addRow(tr("&Band:"), band);
  m_form->addRow(tr("Sec&tor:"), sector);
  m_form->addRow(tr("Start (UTC):"), start_time);
  m_form->addRow(tr("End (UTC):"), end_time);
  m_form->addRow(tr("Sou&rce:"), source_box);
  source_box->setFocusProxy(source);
}

std::string QueryForm::satellite_text() const {
  return satellite->currentText().toStdString();
}
std::string QueryForm::product_text() const {
  return product->currentText().trimmed().toStdString();
}
std::string QueryForm::sector_text() const {
  return sector->currentText().toStdString();
}
std::string QueryForm::source_text() const {
  return source->currentText().trimmed().toStdString();
}
int QueryForm::band_value() const {
  return band->value();
}
UtcTime QueryForm::start() const {
  return from_qt(start_time->dateTime());
}
UtcTime QueryForm::end() const {
  return from_qt(end_time->dateTime());
}
void QueryForm::set_range(UtcTime start, UtcTime end) {
  start_time->setDateTime(to_qt(start));
  end_time->setDateTime(to_qt(end));
}

}  // namespace goesvfi::gui
