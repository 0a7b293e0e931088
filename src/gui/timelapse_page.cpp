#include "gui/timelapse_page.hpp"

#include <fmt/format.h>
#include <QCheckBox>
#include <QComboBox>
#include <QDateTimeEdit>
#include <QFileDialog>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QScrollArea>
#include <QSpinBox>
#include <QTimeZone>
#include <QVBoxLayout>

#include "core/error.hpp"
#include "goes/domain.hpp"
#include "gui/query_form.hpp"
#include "gui/widgets.hpp"
#include "interp/interpolator.hpp"
#include "pipeline/input.hpp"

namespace goesvfi::gui {

TimelapsePage::TimelapsePage(GuiContext& context, QWidget* parent) : QWidget(parent), m_context(context) {
  const Config& config = context.config();
  auto* inner = new QWidget;
  auto* columns = new QHBoxLayout(inner);
  auto* left = new QVBoxLayout;
  auto* right = new QVBoxLayout;
  columns->addLayout(left, 1);
  columns->addLayout(right, 1);

  auto* what = new QGroupBox(tr("Imagery"));
  auto* what_layout = new QVBoxLayout(what);
  query = new QueryForm("timelapse.source", QString::fromStdString(config.get_string("fetch.source")));
  what_layout->addWidget(query);
  data_dir = new PathField(PathField::Kind::Folder, "timelapse.data");
  data_dir->edit()->setPlaceholderText(QString::fromStdString(default_data_dir().string()));
  query->form()->addRow(tr("&Data folder:"), data_dir);
  left->addWidget(what);

  auto* colour = new QGroupBox(tr("Product and colour"));
  auto* cf = new QFormLayout(colour);
  range = new QLineEdit;
  range->setPlaceholderText(tr("e.g. 180:320 (kelvin; empty: the render.ir_* settings)"));
  false_colour = new QCheckBox(tr("False colour (Sanchez-like, with the underlay)"));
  cf->addRow(tr("Ran&ge:"), range);
  cf->addRow(false_colour);
  auto more = add_config_rows(cf, {"render.colormap", "colour.underlay"}, config, this);
  fields.insert(fields.end(), more.begin(), more.end());
  left->addWidget(colour);
  left->addStretch();

  auto* interp = new QGroupBox(tr("Interpolation"));
  auto* inf = new QFormLayout(interp);
  more = add_config_rows(
      inf,
      {"interpolate.backend", "interpolate.intermediate", "flow.preset", "rife.models_dir", "rife.model"},
      config, this);
  fields.insert(fields.end(), more.begin(), more.end());
  gaps = new QComboBox;
  gaps->addItems({"interpolate", "hold", "skip"});
  gaps->setToolTip(tr("missing scans: bridged by interpolation, held, or skipped"));
  inf->addRow(tr("Missing scans:"), gaps);
  right->addWidget(interp);

  auto* out = new QGroupBox(tr("Output"));
  auto* of = new QFormLayout(out);
  output =
      new PathField(PathField::Kind::SaveFile, "timelapse.output", tr("Video (*.mp4 *.mkv *.mov *.webm)"));
  output->set_text(QDir(GuiContext::last_folder("timelapse.output")).filePath("timelapse.mp4"));
  of->addRow(tr("&Output file:"), output);
  more = add_config_rows(of,
                         {"interpolate.fps", "encode.profile", "encode.codec", "encode.crf", "encode.preset",
                          "encode.pix_fmt", "encode.bitrate"},
                         config, this);
  fields.insert(fields.end(), more.begin(), more.end());
  right->addWidget(out);

  plan_button = new QPushButton(tr("&Plan"));
  plan_button->setToolTip(tr("List and plan only: what would be fetched and made (nothing is downloaded)"));
  start_button = new QPushButton(tr("&Start"));
  start_button->setDefault(true);
  plan_button->setObjectName("plan");
  start_button->setObjectName("start");
  auto* buttons = new QHBoxLayout;
  buttons->addStretch();
  buttons->addWidget(plan_button);
  buttons->addWidget(start_button);
  right->addLayout(buttons);
  plan_text = new QPlainTextEdit;
  plan_text->setObjectName("plan");
  plan_text->setReadOnly(true);
  plan_text->setPlaceholderText(
      tr("Plan shows the expected scans, what is on disk, what would be fetched, "
         "the missing runs and the video length."));
  right->addWidget(plan_text, 1);

  auto* scroll = new QScrollArea;
  scroll->setWidget(inner);
  scroll->setWidgetResizable(true);
  scroll->setFrameShape(QFrame::NoFrame);
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->addWidget(scroll);

  connect(plan_button, &QPushButton::clicked, this, &TimelapsePage::plan);
  connect(start_button, &QPushButton::clicked, this, &TimelapsePage::start);
  connect(&context, &GuiContext::config_changed, this, [this] { load_fields(fields, m_context.config()); });
  auto busy = [this] {
    plan_button->setEnabled(!m_context.runner().busy());
    start_button->setEnabled(!m_context.runner().busy());
  };
  connect(&context.runner(), &JobRunner::started, this, busy);
  connect(&context.runner(), &JobRunner::finished, this,
          [this, busy](bool ok, bool, const QString& summary, const QString&, const QString& error) {
            busy();
            if (!m_planning) return;
            m_planning = false;
            plan_text->setPlainText(ok ? summary : error);
          });
}

TimelapseJob TimelapsePage::job(Config& config) const {
  const Config& loaded = m_context.config();
  const auto profile = std::find_if(fields.begin(), fields.end(),
                                    [](ConfigField* f) { return f->key().name == "encode.profile"; });
  const auto profile_value = (*profile)->value();
  config.apply_profile(profile_value ? std::get<std::string>(*profile_value)
                                     : config.get_string("encode.profile"));
  apply_fields(fields, loaded, config);
  TimelapseJob job = TimelapseJob::from_config(config);
  job.satellite = query->satellite_text();
  job.product = query->product_text();
  job.sector = query->sector_text();
  if (goes::product_has_band(goes::parse_product_folder(job.product).product))
    job.band = query->band_value();
  else
    job.band.reset();
  job.start = query->start();
  job.end = query->end();
  job.source = query->source_text();
  job.data_dir = data_dir->text().trimmed().toStdString();
  job.output = output->text().trimmed().toStdString();
  if (job.output.empty()) fail(ErrorKind::InvalidArgument, "choose an output file");
  if (!range->text().trimmed().isEmpty())
    std::tie(job.render.range_min, job.render.range_max) = parse_range(range->text().trimmed().toStdString());
  job.false_colour = false_colour->isChecked();
  job.gaps = parse_gap_mode(gaps->currentText().toStdString());
  return job;
}

void TimelapsePage::plan() {
  run(true);
}

void TimelapsePage::start() {
  run(false);
}

void TimelapsePage::run(bool dry_run) {
  auto config = std::make_shared<Config>(m_context.config());
  TimelapseJob job;
  try {
    job = this->job(*config);
  } catch (const Error& e) {
    plan_text->setPlainText(QString::fromStdString(e.describe()));
    return;
  }
  job.dry_run = dry_run;
  if (job.data_dir.empty()) job.data_dir = default_data_dir();
  if (!job.output.empty() && job.output.has_parent_path())
    GuiContext::remember_folder("timelapse.output",
                                QString::fromStdString(job.output.parent_path().string()));
  const bool started = m_context.runner().start(
      dry_run ? tr("Timelapse plan") : tr("Timelapse"),
      [job, config](Progress& progress, const CancelToken& cancel) {
        JobOutcome out;
        if (job.dry_run) {
          // The plan (pure, from the store's listing) and the inventory of what is on disk already.
          const TimelapsePlan plan = plan_from_source(job, *config, cancel);
          PlanRun inventory = whole_plan(plan);
          inventory.dry_run = true;
          const TimelapseSummary s = run_timelapse_plan(plan, inventory, *config, progress, cancel);
          out.summary = QString::fromStdString(
              plan.describe() + fmt::format("on disk: {}, to fetch: {}\n", s.already_local, s.fetched));
        } else {
          const TimelapseSummary s = run_timelapse(job, *config, progress, cancel);
          out.summary = QString::fromStdString(s.describe(job.encode.fps));
          out.output = s.output.empty() ? job.output : s.output;
        }
        return out;
      });
  if (started) m_planning = dry_run;
}

}  // namespace goesvfi::gui
