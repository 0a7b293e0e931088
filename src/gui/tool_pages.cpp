#include "gui/tool_pages.hpp"

#include <fmt/format.h>
#include <QCheckBox>
#include <QComboBox>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QTableWidget>
#include <QVBoxLayout>

#include "core/error.hpp"
#include "core/progress.hpp"
#include "gui/query_form.hpp"
#include "gui/widgets.hpp"
#include "interp/rife/model_list.hpp"

namespace goesvfi::gui {

namespace fs = std::filesystem;

namespace {

QTableWidget* make_table(const QStringList& headers) {
  auto* table = new QTableWidget(0, static_cast<int>(headers.size()));
  table->setHorizontalHeaderLabels(headers);
  table->horizontalHeader()->setStretchLastSection(true);
  table->verticalHeader()->setVisible(false);
  table->setEditTriggers(QAbstractItemView::NoEditTriggers);
  table->setSelectionBehavior(QAbstractItemView::SelectRows);
  table->setAlternatingRowColors(true);
  table->setWordWrap(false);
  table->setTextElideMode(Qt::ElideMiddle);
  table->verticalHeader()->setDefaultSectionSize(table->fontMetrics().height() + 8);
  return table;
}

void add_row(QTableWidget* table, const QStringList& cells) {
  const int row = table->rowCount();
  table->insertRow(row);
  for (int c = 0; c < cells.size(); ++c) table->setItem(row, c, new QTableWidgetItem(cells[c]));
}

// `path` below `base` as a relative path ("ABI-L2-CMIPF/2024/..."), else as it is.
QString relative_to(const fs::path& path, const fs::path& base) {
  const fs::path rel = path.lexically_relative(base);
  return QString::fromStdString(rel.empty() || *rel.begin() == ".." ? path.string() : rel.string());
}

QLabel* status_label() {
  auto* label = new QLabel;
  label->setObjectName("status");
  label->setWordWrap(true);
  label->setTextInteractionFlags(Qt::TextSelectableByMouse);
  return label;
}

// Connects a page to the runner: `busy` while any job runs, `done` with this page's own job's end.
template <typename Page, typename Done>
void follow_runner(Page* page, GuiContext& context, const std::vector<QPushButton*>& buttons, Done done) {
  auto busy = [&context, buttons] {
    for (QPushButton* b : buttons) b->setEnabled(!context.runner().busy());
  };
  QObject::connect(&context.runner(), &JobRunner::started, page, busy);
  QObject::connect(&context.runner(), &JobRunner::finished, page,
                   [busy, done](bool ok, bool, const QString&, const QString&, const QString& error) {
                     busy();
                     done(ok, error);
                   });
}

}  // namespace

// ---- Fetch

FetchPage::FetchPage(GuiContext& context, QWidget* parent) : QWidget(parent), m_context(context) {
  query = new QueryForm("fetch.source", QString::fromStdString(context.config().get_string("fetch.source")));
  output = new PathField(PathField::Kind::Folder, "fetch.output");
  output->edit()->setPlaceholderText(tr("where the files go"));
  layout_choice = new QComboBox;
  layout_choice->addItems({"bucket", "flat"});
  layout_choice->setToolTip(tr("bucket: <product>/<YYYY>/<DOY>/<HH>/<name>; flat: names only"));
  query->form()->addRow(tr("&Output folder:"), output);
  query->form()->addRow(tr("&Layout:"), layout_choice);
  list_button = new QPushButton(tr("&List (dry run)"));
  list_button->setObjectName("list");
  fetch_button = new QPushButton(tr("&Fetch"));
  fetch_button->setObjectName("fetch");
  table = make_table({tr("Status"), tr("Size"), tr("File")});
  status = status_label();
  auto* buttons = new QHBoxLayout;
  buttons->addWidget(status, 1);
  buttons->addWidget(list_button);
  buttons->addWidget(fetch_button);
  auto* box = new QGroupBox(tr("Download GOES ABI files"));
  auto* bl = new QVBoxLayout(box);
  bl->addWidget(query);
  auto* layout = new QVBoxLayout(this);
  layout->addWidget(box);
  layout->addLayout(buttons);
  layout->addWidget(table, 1);
  connect(list_button, &QPushButton::clicked, this, [this] { run(true); });
  connect(fetch_button, &QPushButton::clicked, this, [this] { run(false); });
  follow_runner(this, context, {list_button, fetch_button}, [this](bool ok, const QString& error) {
    if (!m_pending) return;
    const auto summary = std::move(m_pending);
    if (!ok) {
      status->setText(error);
      return;
    }
    table->setRowCount(0);
    for (const fetch::FetchResult& r : summary->results) {
      const QString state = r.status == fetch::FetchStatus::Skipped      ? tr("complete")
                            : r.status == fetch::FetchStatus::Downloaded ? tr("downloaded")
                            : r.error ? QString::fromStdString(r.error->describe())
                                      : tr("to fetch");
      const std::int64_t size = r.bytes > 0 ? r.bytes : r.file.size;
      add_row(table,
              {state, size >= 0 ? QString::fromStdString(format_bytes(static_cast<double>(size))) : "?",
               relative_to(r.path, m_output)});
      table->item(table->rowCount() - 1, 2)->setToolTip(QString::fromStdString(r.path.string()));
    }
    table->resizeColumnsToContents();
  });
}

void FetchPage::run(bool dry_run) {
  fetch::FetchOptions options;
  try {
    options.query = fetch::make_query(query->satellite_text(), query->product_text(), query->band_value(),
                                      query->sector_text(), query->start(), query->end());
    options.output = output->text().trimmed().toStdString();
    if (options.output.empty()) fail(ErrorKind::InvalidArgument, "choose an output folder");
    options.layout = fetch::parse_layout(layout_choice->currentText().toStdString());
  } catch (const Error& e) {
    status->setText(QString::fromStdString(e.describe()));
    return;
  }
  options.dry_run = dry_run;
  m_output = options.output;
  auto result = std::make_shared<fetch::FetchSummary>();
  const Config config = m_context.config();
  const std::string source = query->source_text();
  if (m_context.runner().start(
          dry_run ? tr("Fetch (list)") : tr("Fetch"),
          [options, result, config, source](Progress& progress, const CancelToken& cancel) {
            auto store = fetch::make_store(config, source);
            *result = fetch::run_fetch(*store, options, progress, cancel);
            std::string text = options.dry_run
                                   ? fmt::format("{} files listed from {}, {} already complete",
                                                 result->listed, store->describe(), result->skipped)
                                   : result->text();
            if (!result->transfer_stats.empty()) text += "\ntransfers: " + result->transfer_stats;
            return JobOutcome{QString::fromStdString(text), options.output};
          })) {
    m_pending = result;
    status->clear();
  }
}

// ---- Sort

SortPage::SortPage(GuiContext& context, QWidget* parent) : QWidget(parent), m_context(context) {
  kind = new QComboBox;
  kind->addItems({tr("files: capture folders to time-stamped names"), tr("dates: files into day folders")});
  source = new PathField(PathField::Kind::Folder, "sort.source");
  destination = new PathField(PathField::Kind::Folder, "sort.destination");
  move = new QCheckBox(tr("&Move (default: copy)"));
  by_hour = new QCheckBox(tr("One folder per &hour"));
  conflict = new QComboBox;
  conflict->addItems({"skip", "overwrite", "rename"});
  auto* form = new QFormLayout;
  form->addRow(tr("&Sort:"), kind);
  form->addRow(tr("S&ource folder:"), source);
  form->addRow(tr("&Destination:"), destination);
  form->addRow(tr("On &conflict:"), conflict);
  form->addRow(move);
  form->addRow(by_hour);
  preview_button = new QPushButton(tr("&Preview (dry run)"));
  preview_button->setObjectName("preview");
  sort_button = new QPushButton(tr("So&rt"));
  sort_button->setObjectName("sort");
  sort_button->setEnabled(false);
  sort_button->setToolTip(tr("Preview first: the table shows every planned move"));
  table =
      make_table({tr("From (in the source)"), tr("To (in the destination)"), tr("Outcome"), tr("Detail")});
  status = status_label();
  auto* buttons = new QHBoxLayout;
  buttons->addWidget(status, 1);
  buttons->addWidget(preview_button);
  buttons->addWidget(sort_button);
  auto* layout = new QVBoxLayout(this);
  layout->addLayout(form);
  layout->addLayout(buttons);
  layout->addWidget(table, 1);

  auto update_kind = [this] {
    const bool files = kind->currentIndex() == 0;
    destination->setEnabled(files);
    move->setEnabled(files);
    by_hour->setEnabled(!files);
  };
  update_kind();
  auto invalidate = [this] {
    m_previewed = false;
    sort_button->setEnabled(false);
  };
  connect(kind, &QComboBox::currentIndexChanged, this, update_kind);
  connect(kind, &QComboBox::currentIndexChanged, this, invalidate);
  connect(source, &PathField::changed, this, invalidate);
  connect(destination, &PathField::changed, this, invalidate);
  connect(move, &QCheckBox::toggled, this, invalidate);
  connect(by_hour, &QCheckBox::toggled, this, invalidate);
  connect(conflict, &QComboBox::currentIndexChanged, this, invalidate);
  connect(preview_button, &QPushButton::clicked, this, [this] { run(true); });
  connect(sort_button, &QPushButton::clicked, this, [this] { run(false); });
  follow_runner(this, context, {preview_button}, [this](bool ok, const QString& error) {
    if (!m_pending) return;
    const auto report = std::move(m_pending);
    if (!ok) {
      status->setText(error);
      return;
    }
    table->setRowCount(0);
    for (const auto& a : report->actions) {
      add_row(table, {relative_to(a.from, m_source), relative_to(a.to, m_target),
                      QString::fromStdString(std::string(catalog::to_string(a.outcome))),
                      QString::fromStdString(a.detail)});
    }
    table->resizeColumnsToContents();
    status->setText(QString::fromStdString(report->text()));
    const bool planned = std::any_of(report->actions.begin(), report->actions.end(), [](const auto& a) {
      return a.outcome == catalog::SortOutcome::Planned;
    });
    sort_button->setEnabled(m_previewed && planned);
  });
}

void SortPage::run(bool dry_run) {
  const bool files = kind->currentIndex() == 0;
  const fs::path src = source->text().trimmed().toStdString();
  const fs::path dst = destination->text().trimmed().toStdString();
  if (src.empty() || (files && dst.empty())) {
    status->setText(files ? tr("Choose the source and destination folders.")
                          : tr("Choose the folder to sort."));
    return;
  }
  catalog::OnConflict on_conflict;
  try {
    on_conflict = catalog::parse_on_conflict(conflict->currentText().toStdString());
  } catch (const Error& e) {
    status->setText(QString::fromStdString(e.describe()));
    return;
  }
  auto result = std::make_shared<catalog::SortReport>();
  const bool moving = move->isChecked(), hourly = by_hour->isChecked();
  const bool started = m_context.runner().start(
      dry_run ? tr("Sort (dry run)") : tr("Sort"), [=](Progress& progress, const CancelToken& cancel) {
        if (files) {
          catalog::SortFilesOptions o;
          o.source = src;
          o.destination = dst;
          o.mode = moving ? catalog::TransferMode::Move : catalog::TransferMode::Copy;
          o.on_conflict = on_conflict;
          o.dry_run = dry_run;
          *result = catalog::sort_files(o, cancel, progress);
        } else {
          catalog::SortDatesOptions o;
          o.folder = src;
          o.by_hour = hourly;
          o.on_conflict = on_conflict;
          o.dry_run = dry_run;
          *result = catalog::sort_dates(o, cancel, progress);
        }
        return JobOutcome{QString::fromStdString(result->text()), files ? dst : src};
      });
  if (started) {
    m_source = src;
    m_target = files ? dst : src;
    m_pending = result;
    m_previewed = dry_run;
    if (!dry_run) sort_button->setEnabled(false);
  }
}

// ---- Models

ModelsPage::ModelsPage(GuiContext& context, QWidget* parent) : QWidget(parent), m_context(context) {
  folder = new PathField(PathField::Kind::Folder, "models.folder");
  refresh_button = new QPushButton(tr("&List"));
  refresh_button->setObjectName("list");
  check_button = new QPushButton(tr("C&heck selected"));
  check_button->setObjectName("check");
  table = make_table({tr("Model"), tr("Version"), tr("flownet.bin bytes"), tr("Status")});
  details = new QPlainTextEdit;
  details->setReadOnly(true);
  details->setPlaceholderText(tr("Check a model to see its files, layers, parameters and cost."));
  auto* form = new QFormLayout;
  form->addRow(tr("&Models folder:"), folder);
  auto* buttons = new QHBoxLayout;
  buttons->addStretch();
  buttons->addWidget(refresh_button);
  buttons->addWidget(check_button);
  auto* layout = new QVBoxLayout(this);
  layout->addLayout(form);
  layout->addLayout(buttons);
  layout->addWidget(table, 2);
  layout->addWidget(details, 1);
  auto load = [this] {
    const std::string& configured = m_context.config().get_string("rife.models_dir");
    folder->set_text(
        QString::fromStdString(configured.empty() ? rife::default_models_dir().string() : configured));
  };
  load();
  connect(&context, &GuiContext::config_changed, this, load);
  connect(refresh_button, &QPushButton::clicked, this, &ModelsPage::refresh);
  connect(check_button, &QPushButton::clicked, this, &ModelsPage::check_selected);
  connect(table, &QTableWidget::itemDoubleClicked, this, &ModelsPage::check_selected);
}

void ModelsPage::showEvent(QShowEvent* event) {
  QWidget::showEvent(event);
  if (!m_listed) refresh();  // the first time the page is shown
}

void ModelsPage::refresh() {
  m_listed = true;
  table->setRowCount(0);
  details->clear();
  const fs::path base = folder->text().trimmed().toStdString();
  std::vector<rife::ModelListing> models;
  try {
    models = rife::list_models(base);
  } catch (const Error& e) {
    details->setPlainText(QString::fromStdString(e.describe()));
    return;
  }
  if (models.empty()) {
    details->setPlainText(tr("No rife-* model folders in %1.\nPut e.g. rife-v4.6/flownet.param + flownet.bin "
                             "there, or set rife.models_dir in Settings.")
                              .arg(QString::fromStdString(base.string())));
    return;
  }
  for (const rife::ModelListing& m : models) {
    add_row(table, {QString::fromStdString(m.dir.filename().string()), QString::fromStdString(m.version),
                    QString::number(m.bin_bytes), QString::fromStdString(m.status)});
    table->item(table->rowCount() - 1, 0)->setData(Qt::UserRole, QString::fromStdString(m.dir.string()));
  }
  table->resizeColumnsToContents();
  table->selectRow(0);
}

void ModelsPage::check_selected() {
  const int row = table->currentRow();
  if (row < 0) return;
  const fs::path dir = table->item(row, 0)->data(Qt::UserRole).toString().toStdString();
  try {
    details->setPlainText(QString::fromStdString(rife::describe_check(dir, rife::check_model(dir))));
  } catch (const Error& e) {
    details->setPlainText(QString::fromStdString(e.describe()));
  }
}

}  // namespace goesvfi::gui
