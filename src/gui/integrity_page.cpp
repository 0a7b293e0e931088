#include "gui/integrity_page.hpp"

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
  connect(zoom_in, &QPushButton::clicked, this, [this] { timeline->zoom(1.5); });
  connect(zoom_out, &QPushButton::clicked, this, [this] { timeline->zoom(1 / 1.5); });
  connect(fit_button, &QPushButton::clicked, this, [this, scroll] {
    if (!timeline->slots().empty())
      timeline->set_pixels_per_slot((scroll->viewport()->width() - 4) /
                                    static_cast<double>(timeline->slots().size()));
  });
  auto busy = [this] { check_button->setEnabled(!m_context.runner().busy()); };
  connect(&context.runner(), &JobRunner::started, this, busy);
  connect(&context.runner(), &JobRunner::finished, this,
          [this, busy, scroll](bool ok, bool, const QString&, const QString&, const QString& error) {
            busy();
            if (!m_pending) return;
            auto report = std::move(m_pending);
            if (!ok) {
              counts->setText(error);
              return;
            }
            show_report(*report);
            fit_button->click();
          });
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
  auto result = std::make_shared<catalog::CheckReport>();
  if (m_context.runner().start(
          tr("Integrity check"), [o, result](Progress& progress, const CancelToken& cancel) {
            *result = catalog::check_folder(o, cancel, progress);
            return JobOutcome{
                QString::fromStdString(format_check_report(*result, catalog::ReportFormat::Table)), {}};
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
}

}  // namespace goesvfi::gui
