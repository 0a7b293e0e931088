#include "gui/interpolate_page.hpp"

#include <QCheckBox>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QListWidget>
#include <QPointer>
#include <QPushButton>
#include <QSlider>
#include <QSpinBox>
#include <QSplitter>
#include <QVBoxLayout>

#include "core/error.hpp"
#include "core/image_io.hpp"
#include "core/thread_pool.hpp"
#include "gui/crop_view.hpp"
#include "gui/widgets.hpp"
#include "pipeline/input.hpp"
#include "pipeline/preview.hpp"

namespace goesvfi::gui {

namespace {
constexpr int k_thumb = 96;
constexpr int k_max_thumbs = 400;  // the filmstrip shows the first frames; the scrubber reaches all

QSpinBox* coordinate(QWidget* parent, const QString& name) {
  auto* box = new QSpinBox(parent);
  box->setRange(-100000, 100000);  // out-of-frame values are typed and then explained, not clamped
  box->setAccessibleName(name);
  box->setObjectName(name);
  return box;
}

QLabel* preview_label(const QString& text) {
  auto* label = new QLabel(text);
  label->setAlignment(Qt::AlignCenter);
  label->setMinimumSize(160, 120);
  label->setStyleSheet("background: #202020; color: #909090;");
  return label;
}
}  // namespace

InterpolatePage::InterpolatePage(GuiContext& context, QWidget* parent) : QWidget(parent), m_context(context) {
  const Config& config = context.config();
  input = new PathField(PathField::Kind::Folder, "interpolate.input");
  input->edit()->setPlaceholderText(tr("folder of PNG/JPEG/TIFF frames"));
  filmstrip = new QListWidget;
  filmstrip->setViewMode(QListView::IconMode);
  filmstrip->setFlow(QListView::LeftToRight);
  filmstrip->setWrapping(false);
  filmstrip->setIconSize(QSize(k_thumb, k_thumb));
  filmstrip->setFixedHeight(k_thumb + 44);
  filmstrip->setMovement(QListView::Static);
  filmstrip->setGridSize(QSize(k_thumb + 10, k_thumb + 26));
  scrubber = new QSlider(Qt::Horizontal);
  scrubber->setRange(0, 0);
  scrubber->setAccessibleName(tr("Frame"));
  view = new CropView;

  auto* left = new QVBoxLayout;
  auto* in_row = new QFormLayout;
  in_row->addRow(tr("&Input folder:"), input);
  left->addLayout(in_row);
  left->addWidget(filmstrip);
  left->addWidget(scrubber);
  left->addWidget(view, 1);

  auto* crop_box = new QGroupBox(tr("Crop (drag on the frame)"));
  auto* cf = new QFormLayout(crop_box);
  crop_enabled = new QCheckBox(tr("C&rop the frames"));
  crop_x = coordinate(this, "crop x");
  crop_y = coordinate(this, "crop y");
  crop_w = coordinate(this, "crop width");
  crop_h = coordinate(this, "crop height");
  auto* xy = new QHBoxLayout;
  xy->addWidget(new QLabel("X"));
  xy->addWidget(crop_x);
  xy->addWidget(new QLabel("Y"));
  xy->addWidget(crop_y);
  auto* wh = new QHBoxLayout;
  wh->addWidget(new QLabel("W"));
  wh->addWidget(crop_w);
  wh->addWidget(new QLabel("H"));
  wh->addWidget(crop_h);
  cf->addRow(crop_enabled);
  cf->addRow(tr("Position:"), xy);
  cf->addRow(tr("Size:"), wh);

  auto* settings = new QGroupBox(tr("Interpolation and output"));
  auto* sf = new QFormLayout(settings);
  fields = add_config_rows(sf,
                           {"interpolate.backend", "interpolate.intermediate", "interpolate.fps",
                            "flow.preset", "encode.profile", "encode.codec", "encode.crf"},
                           config, this);
  false_colour = new QCheckBox(tr("False colour (IR frames)"));
  sf->addRow(false_colour);
  output =
      new PathField(PathField::Kind::SaveFile, "interpolate.output", tr("Video (*.mp4 *.mkv *.mov *.webm)"));
  output->edit()->setPlaceholderText(tr("default: <input folder>_<time>.mp4 beside the folder"));
  sf->addRow(tr("&Output file:"), output);

  auto* preview_box = new QGroupBox(tr("Before / after (t = 0.5 between the selected frame and the next)"));
  auto* pv = new QVBoxLayout(preview_box);
  auto* images = new QHBoxLayout;
  before_label = preview_label(tr("frame"));
  middle_label = preview_label(tr("t = 0.5"));
  after_label = preview_label(tr("next frame"));
  images->addWidget(before_label);
  images->addWidget(middle_label);
  images->addWidget(after_label);
  preview_button = new QPushButton(tr("Pre&view pair"));
  preview_cancel = new QPushButton(tr("Stop preview"));
  preview_cancel->setEnabled(false);
  preview_button->setObjectName("preview");
  preview_status = new QLabel;
  preview_status->setWordWrap(true);
  auto* pbuttons = new QHBoxLayout;
  pbuttons->addWidget(preview_button);
  pbuttons->addWidget(preview_cancel);
  pbuttons->addWidget(preview_status, 1);
  pv->addLayout(images);
  pv->addLayout(pbuttons);

  reason = new QLabel;
  reason->setObjectName("reason");
  reason->setStyleSheet("color: #c0392b;");
  reason->setWordWrap(true);
  start_button = new QPushButton(tr("&Start"));
  start_button->setObjectName("start");
  auto* right = new QVBoxLayout;
  right->addWidget(crop_box);
  right->addWidget(settings);
  right->addWidget(preview_box);
  right->addStretch();
  right->addWidget(reason);
  auto* sb = new QHBoxLayout;
  sb->addStretch();
  sb->addWidget(start_button);
  right->addLayout(sb);

  auto* layout = new QHBoxLayout(this);
  layout->addLayout(left, 3);
  layout->addLayout(right, 2);

  connect(input, &PathField::changed, this, &InterpolatePage::load_folder);
  connect(scrubber, &QSlider::valueChanged, this, &InterpolatePage::select_frame);
  connect(filmstrip, &QListWidget::currentRowChanged, this, [this](int row) {
    if (row >= 0) scrubber->setValue(row);
  });
  connect(view, &CropView::crop_drawn, this, [this](const QRect& r) { fields_from_crop(r); });
  for (QSpinBox* box : {crop_x, crop_y, crop_w, crop_h}) {
    connect(box, &QSpinBox::valueChanged, this, [this] {
      if (m_syncing) return;
      crop_enabled->setChecked(true);
      update_state();
    });
  }
  connect(crop_enabled, &QCheckBox::toggled, this, &InterpolatePage::update_state);
  for (ConfigField* f : fields) connect(f, &ConfigField::edited, this, &InterpolatePage::update_state);
  connect(preview_button, &QPushButton::clicked, this, &InterpolatePage::start_preview);
  connect(preview_cancel, &QPushButton::clicked, this, &InterpolatePage::cancel_preview);
  connect(start_button, &QPushButton::clicked, this, &InterpolatePage::start);
  connect(&context.runner(), &JobRunner::started, this, &InterpolatePage::update_state);
  connect(&context.runner(), &JobRunner::finished, this, &InterpolatePage::update_state);
  connect(&context, &GuiContext::config_changed, this, [this] {
    load_fields(fields, m_context.config());
    update_state();
  });
  update_state();
}

InterpolatePage::~InterpolatePage() {
  m_preview_cancel.cancel();
  if (m_preview.valid()) m_preview.wait();
}

void InterpolatePage::load_folder(const QString& folder) {
  ++m_generation;
  ++m_frame_request;
  m_frames.clear();
  m_list_error.clear();
  m_frame_width = m_frame_height = 0;
  filmstrip->clear();
  view->set_image({});
  m_selected = -1;
  if (!folder.trimmed().isEmpty()) {
    try {
      m_frames = list_input_frames({folder.trimmed().toStdString()});
      const ImageHeader header = read_image_header(m_frames.front());
      m_frame_width = header.width;
      m_frame_height = header.height;
      if (!crop_enabled->isChecked()) fields_from_crop(QRect(0, 0, m_frame_width, m_frame_height), false);
    } catch (const Error& e) {
      m_frames.clear();
      m_list_error = QString::fromStdString(e.describe());
    }
  }
  scrubber->setRange(0, std::max(0, frame_count() - 1));
  const int thumbs = std::min(frame_count(), k_max_thumbs);
  QPointer<InterpolatePage> self(this);
  for (int i = 0; i < thumbs; ++i) {
    auto* item = new QListWidgetItem(QString::number(i + 1));
    item->setSizeHint(filmstrip->gridSize());  // the thumbnail arrives later; its room is kept now
    item->setToolTip(QString::fromStdString(m_frames[static_cast<std::size_t>(i)].filename().string()));
    filmstrip->addItem(item);
    // Thumbnails are decoded on the pool and arrive when ready.
    ThreadPool::global().submit([self, path = m_frames[static_cast<std::size_t>(i)], i, gen = m_generation] {
      QImage thumb;
      try {
        thumb = to_qimage(read_image(path))
                    .scaled(k_thumb, k_thumb, Qt::KeepAspectRatio, Qt::SmoothTransformation);
      } catch (const Error&) {
        return;
      }
      QMetaObject::invokeMethod(
          self.data(),
          [self, thumb, i, gen] {
            if (!self || gen != self->m_generation || i >= self->filmstrip->count()) return;
            self->filmstrip->item(i)->setIcon(QIcon(QPixmap::fromImage(thumb)));
          },
          Qt::QueuedConnection);
    });
  }
  if (!m_frames.empty()) select_frame(0);
  update_state();
}

void InterpolatePage::select_frame(int index) {
  if (index < 0 || index >= frame_count() || index == m_selected) return;
  m_selected = index;
  if (index < filmstrip->count()) filmstrip->setCurrentRow(index);
  if (scrubber->value() != index) scrubber->setValue(index);
  // A full-disk frame takes a second to decode: it is read on the pool and shown when ready (the newest
  // selection wins), so scrubbing never stalls the window.
  const int request = ++m_frame_request;
  QPointer<InterpolatePage> self(this);
  ThreadPool::global().submit([self, path = m_frames[static_cast<std::size_t>(index)], request] {
    QImage image;
    QString error;
    try {
      image = to_qimage(read_image(path));
    } catch (const Error& e) {
      error = QString::fromStdString(e.describe());
    }
    QMetaObject::invokeMethod(
        self.data(),
        [self, image = std::move(image), error, request] {
          if (!self || request != self->m_frame_request) return;
          self->view->set_image(image);
          if (!error.isEmpty()) self->preview_status->setText(error);
        },
        Qt::QueuedConnection);
  });
}

void InterpolatePage::fields_from_crop(const QRect& r, bool enable) {
  m_syncing = true;
  crop_x->setValue(r.x());
  crop_y->setValue(r.y());
  crop_w->setValue(r.width());
  crop_h->setValue(r.height());
  m_syncing = false;
  if (enable) crop_enabled->setChecked(true);
  update_state();
}

std::optional<Rect> InterpolatePage::crop() const {
  if (!crop_enabled->isChecked()) return std::nullopt;
  return Rect{crop_x->value(), crop_y->value(), crop_w->value(), crop_h->value()};
}

QString InterpolatePage::problem() const {
  if (!m_list_error.isEmpty()) return m_list_error;
  if (m_frames.empty()) return tr("Choose an input folder.");
  if (const auto c = crop()) {
    if (const auto why = crop_problem(*c, m_frame_width, m_frame_height)) return QString::fromStdString(*why);
  }
  for (ConfigField* f : fields)
    if (!f->value()) return f->error();
  if (m_context.runner().busy()) return tr("Another job is running.");
  return {};
}

void InterpolatePage::update_state() {
  const auto c = crop();
  view->set_crop(c ? std::optional<QRect>(QRect(c->x, c->y, c->width, c->height)) : std::nullopt);
  const QString why = problem();
  reason->setText(why);
  start_button->setEnabled(why.isEmpty());
  start_button->setToolTip(why);
  preview_button->setEnabled(!m_preview_running && frame_count() >= 2 &&
                             !(c && crop_problem(*c, m_frame_width, m_frame_height)));
}

InterpolateJob InterpolatePage::job(Config& config) const {
  const auto profile = fields[4]->value();
  config.apply_profile(profile ? std::get<std::string>(*profile) : config.get_string("encode.profile"));
  apply_fields(fields, m_context.config(), config);
  config.set("colour.false_colour", false_colour->isChecked(), "gui");  // one levels map when on
  InterpolateJob job = InterpolateJob::from_config(config);
  job.inputs = {input->text().trimmed().toStdString()};
  job.output = output->text().trimmed().toStdString();
  job.prep.crop = crop();
  return job;
}

void InterpolatePage::start() {
  auto config = std::make_shared<Config>(m_context.config());
  InterpolateJob job;
  try {
    job = this->job(*config);
    if (job.output.empty()) job.output = default_output_path(job.inputs.front());
    // Everything the library can check before work starts (codec, pixel format, crop, frame count).
    plan_interpolate(job, *config);
  } catch (const Error& e) {
    reason->setText(QString::fromStdString(e.describe()));
    return;
  }
  m_context.runner().start(tr("Interpolate"), [job, config](Progress& progress, const CancelToken& cancel) {
    const StreamSummary s = run_interpolate(job, *config, progress, cancel);
    return JobOutcome{QString::fromStdString(describe_summary(s, job.output, job.encode.fps)), job.output};
  });
}

void InterpolatePage::start_preview() {
  if (m_preview_running || frame_count() < 2) return;
  const int first = std::clamp(m_selected, 0, frame_count() - 2);
  auto config = std::make_shared<Config>(m_context.config());
  InterpolateJob job;
  try {
    job = this->job(*config);
  } catch (const Error& e) {
    preview_status->setText(QString::fromStdString(e.describe()));
    return;
  }
  if (m_preview.valid()) m_preview.wait();
  m_preview_cancel = CancelToken();
  m_preview_running = true;
  preview_cancel->setEnabled(true);
  preview_status->setText(tr("computing frames %1–%2 at t = 0.5 with %3…")
                              .arg(first + 1)
                              .arg(first + 2)
                              .arg(QString::fromStdString(job.backend)));
  update_state();
  QPointer<InterpolatePage> self(this);
  const auto a = m_frames[static_cast<std::size_t>(first)], b = m_frames[static_cast<std::size_t>(first) + 1];
  CancelToken cancel = m_preview_cancel;
  m_preview = ThreadPool::global().submit([self, job, config, a, b, cancel] {
    QImage before, middle, after;
    QString status;
    try {
      const PairPreview p = preview_pair(job, *config, a, b, 0.5, cancel);
      before = to_qimage(p.before);
      middle = to_qimage(p.middle);
      after = to_qimage(p.after);
      status = p.report.fell_back ? QString::fromStdString(p.report.reason) : QString("t = 0.5 ready");
    } catch (const Error& e) {
      status = e.kind() == ErrorKind::Cancelled ? QString("preview stopped")
                                                : QString::fromStdString(e.describe());
    }
    QMetaObject::invokeMethod(
        self.data(),
        [self, before, middle, after, status] {
          if (!self) return;
          auto show = [](QLabel* label, const QImage& img) {
            if (img.isNull()) return;
            label->setPixmap(QPixmap::fromImage(img.scaled(label->size() * label->devicePixelRatioF(),
                                                           Qt::KeepAspectRatio, Qt::SmoothTransformation)));
          };
          show(self->before_label, before);
          show(self->middle_label, middle);
          show(self->after_label, after);
          self->preview_status->setText(status);
          self->m_preview_running = false;
          self->preview_cancel->setEnabled(false);
          self->update_state();
        },
        Qt::QueuedConnection);
  });
}

void InterpolatePage::cancel_preview() {
  m_preview_cancel.cancel();
}

}  // namespace goesvfi::gui
