#include "gui/integrity_page.hpp"

#include <fmt/format.h>
#include <QComboBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QScrollArea>
#include <QSpinBox>
#include <QVBoxLayout>

#include "catalog/catalog.hpp"
#include "core/error.hpp"
#include "gui/timeline_widget.hpp"
#include "gui/widgets.hpp"
#include "pipeline/check_fix.hpp"

namespace goesvfi::gui {

IntegrityPage::IntegrityPage(GuiContext& context, QWidget* parent) : QWidget(parent), m_context(context) {
  folder = new PathField(PathField::Kind::Folder, "integrity.folder");
  folder->edit()->setPlaceholderText(tr("folder of NOAA .nc, CDN .jpg or rendered frames"));
  satellite = new QComboBox;
  satellite->addItems({"", "G16", "G17", "G18", "G19", "east", "west"});
  satellite->setToolTip(tr("empty: from the files"));
  product = new QLineEdit;
  product->setPlaceholderText(tr("from the files, e.g. ABI-L2-CMIPF"));
  band = new QSpinBox;
  band->setRange(0, 16);
  band->setSpecialValueText(tr("from the files"));
  check_button = new QPushButton(tr("&Check"));
  check_button->setObjectName("check");
  source = new QComboBox;
  source->setEditable(true);
  source->addItems({"auto", "s3", "cdn"});
  source->setCurrentText(QString::fromStdString(context.config().get_string("fetch.source")));
  source->setToolTip(tr("where missing scans are fetched from: auto, s3, cdn, or a local archive folder"));
  fetch_button = new QPushButton(tr("Fetch &missing"));
  fetch_button->setObjectName("fetch_missing");
  fetch_button->setEnabled(false);
  fetch_button->setToolTip(tr("fetch the missing scans into the folder, then check again"));
  auto* form = new QFormLayout;
  form->addRow(tr("&Folder:"), folder);
  auto* series = new QHBoxLayout;
  series->addWidget(new QLabel(tr("Satellite")));
  series->addWidget(satellite);
  series->addWidget(new QLabel(tr("Product")));
  series->addWidget(product, 1);
  series->addWidget(new QLabel(tr("Band")));
  series->addWidget(band);
  series->addWidget(check_button);
  form->addRow(tr("Series:"), series);
  auto* fix_row = new QHBoxLayout;
  fix_row->addWidget(source, 1);
  fix_row->addWidget(fetch_button);
  form->addRow(tr("Source:"), fix_row);

  counts = new QLabel(tr("No check yet."));
  counts->setObjectName("counts");
  timeline = new TimelineWidget;
  auto* scroll = new QScrollArea;
  scroll->setWidget(timeline);
  scroll->setWidgetResizable(false);
  scroll->setFixedHeight(timeline->minimumHeight() + 24);
  fit_button = new QPushButton(tr("&Fit"));
  zoom_in = new QPushButton("+");
  zoom_out = new QPushButton("−");
  zoom_in->setAccessibleName(tr("Zoom in"));
  zoom_out->setAccessibleName(tr("Zoom out"));
  auto* legend = new QHBoxLayout;
  for (auto state : {catalog::SlotState::Present, catalog::SlotState::Missing, catalog::SlotState::Duplicate,
                     catalog::SlotState::Unreadable}) {
    auto* swatch = new QLabel;
    swatch->setFixedSize(14, 14);
    swatch->setStyleSheet("background: " + TimelineWidget::colour(state).name() + ";");
    legend->addWidget(swatch);
    legend->addWidget(new QLabel(QString::fromStdString(std::string(to_string(state)))));
  }
  legend->addStretch();
  legend->addWidget(new QLabel(tr("Zoom (Ctrl+wheel):")));
  legend->addWidget(zoom_out);
  legend->addWidget(zoom_in);
  legend->addWidget(fit_button);

  missing_runs = new QListWidget;
  missing_runs->setObjectName("missing_runs");
  report_text = new QPlainTextEdit;
  report_text->setReadOnly(true);
  report_text->setFont(QFont("monospace"));
  auto* lower = new QHBoxLayout;
  auto* runs_col = new QVBoxLayout;
  runs_col->addWidget(new QLabel(tr("Missing runs:")));
  runs_col->addWidget(missing_runs, 1);
  lower->addLayout(runs_col, 1);
  lower->addWidget(report_text, 2);

  auto* layout = new QVBoxLayout(this);
  layout->addLayout(form);
  layout->addWidget(counts);
  layout->addWidget(scroll);
  layout->addLayout(legend);
  layout->addLayout(lower, 1);

  connect(check_button, &QPushButton::clicked, this, &IntegrityPage::check);
  connect(fetch_button, &QPushButton::clicked, this, &IntegrityPage::fetch_missing);
  connect(zoom_in, &QPushButton::clicked, this, [this] { timeline->zoom(1.5); });
  connect(zoom_out, &QPushButton::clicked, this, [this] { timeline->zoom(1 / 1.5); });
  connect(fit_button, &QPushButton::clicked, this, [this, scroll] {
    if (!timeline->slots().empty())
      timeline->set_pixels_per_slot((scroll->viewport()->width() - 4) /
                                    static_cast<double>(timeline->slots().size()));
  });
  connect(&context.runner(), &JobRunner::started, this, &IntegrityPage::update_buttons);
  connect(&context.runner(), &JobRunner::finished, this,
          [this](bool ok, bool, const QString&, const QString&, const QString& error) {
            update_buttons();
            if (!m_pending) return;
            auto result = std::move(m_pending);
            if (!ok) {
              counts->setText(error);
              return;
            }
            show_report(result->report);
            if (!result->fix_text.empty())
              report_text->setPlainText(QString::fromStdString(result->fix_text) + "\n" +
                                        report_text->toPlainText());
            fit_button->click();
          });
}

void IntegrityPage::update_buttons() {
  const bool idle = !m_context.runner().busy();
  check_button->setEnabled(idle);
  fetch_button->setEnabled(idle && !m_report.missing.empty());
}

catalog::CheckOptions IntegrityPage::options() const {
  catalog::CheckOptions o;
  o.folder = folder->text().trimmed().toStdString();
  if (o.folder.empty()) fail(ErrorKind::InvalidArgument, "choose a folder to check");
  if (!satellite->currentText().isEmpty())
    o.satellite = goes::parse_satellite(satellite->currentText().toStdString());
  if (!product->text().trimmed().isEmpty()) o.product = product->text().trimmed().toStdString();
  if (band->value() != 0) o.band = band->value();
  const std::string& path = m_context.config().get_string("catalog.path");
  o.catalog_file = path.empty() ? catalog::Catalog::default_path() : std::filesystem::path(path);
  return o;
}

void IntegrityPage::check() {
  catalog::CheckOptions o;
  try {
    o = options();
  } catch (const Error& e) {
    counts->setText(QString::fromStdString(e.describe()));
    return;
  }
  auto result = std::make_shared<Result>();
  if (m_context.runner().start(tr("Integrity check"), [o, result](Progress& progress,
                                                                  const CancelToken& cancel) {
        result->report = catalog::check_folder(o, cancel, progress);
        return JobOutcome{
            QString::fromStdString(format_check_report(result->report, catalog::ReportFormat::Table)), {}};
      }))
    m_pending = result;
}

void IntegrityPage::fetch_missing() {
  catalog::CheckOptions o;
  Config config = m_context.config();
  try {
    o = options();
    config.set_text("fetch.source", source->currentText().trimmed().toStdString(), "fetch.source");
  } catch (const Error& e) {
    counts->setText(QString::fromStdString(e.describe()));
    return;
  }
  auto result = std::make_shared<Result>();
  if (m_context.runner().start(tr("Fetch missing scans"), [o, config = std::move(config), result](
                                                              Progress& progress, const CancelToken& cancel) {
        const CheckFixResult r = check_and_fix(o, config, progress, cancel);
        result->report = r.after;
        if (r.fix) {
          result->fix_text =
              fmt::format("fetched from {}: {} missing scan(s), {} file(s) requested, {} failed",
                          r.fix->store, r.fix->missing, r.fix->requested, r.fix->failures.size());
          for (const auto& failure : r.fix->failures) result->fix_text += "\nfailed: " + failure;
          if (!r.fix->transfer_stats.empty()) result->fix_text += "\n" + r.fix->transfer_stats;
        } else {
          result->fix_text = "nothing was missing";
        }
        return JobOutcome{QString::fromStdString(result->fix_text + "\n" +
                                                 format_check_report(r.after, catalog::ReportFormat::Table)),
                          o.folder};
      }))
    m_pending = result;
}

void IntegrityPage::show_report(const catalog::CheckReport& r) {
  m_report = r;
  counts->setText(tr("%1: %2 expected, %3 present, %4 missing, %5 duplicate, %6 unreadable")
                      .arg(QString::fromStdString(r.series))
                      .arg(r.expected)
                      .arg(r.present)
                      .arg(r.missing.size())
                      .arg(r.duplicates.size())
                      .arg(r.unreadable.size()));
  timeline->set_slots(r.slots);
  missing_runs->clear();
  for (const auto& run : r.missing_runs)
    missing_runs->addItem(QString::fromStdString(catalog::describe_run(run)));
  report_text->setPlainText(QString::fromStdString(format_check_report(r, catalog::ReportFormat::Table)));
  update_buttons();
}

}  // namespace goesvfi::gui
