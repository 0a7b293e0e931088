// The desktop app driven as a person would: fields filled, buttons clicked, the mouse dragged, on generated
// GOES-like data (the demo's generator), under Qt's offscreen platform (no display needed).
#include <QApplication>
#include <QCheckBox>
#include <QComboBox>
#include <QDateTimeEdit>
#include <QLabel>
#include <QListWidget>
#include <QPlainTextEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QSpinBox>
#include <QStandardPaths>
#include <QTest>
#include <QTimeZone>
#include <chrono>
#include <fstream>
#include <functional>

#include <gtest/gtest.h>

#include "core/config.hpp"
#include "core/image_io.hpp"
#include "encode/video_probe.hpp"
#include "gui/context.hpp"
#include "gui/crop_view.hpp"
#include "gui/integrity_page.hpp"
#include "gui/interpolate_page.hpp"
#include "gui/job_panel.hpp"
#include "gui/main_window.hpp"
#include "gui/query_form.hpp"
#include "gui/settings_page.hpp"
#include "gui/timelapse_page.hpp"
#include "gui/timeline_widget.hpp"
#include "gui/widgets.hpp"
#include "pipeline/demo.hpp"
#include "pipeline/synthetic.hpp"
#include "testutil/demo_job.hpp"
#include "testutil/testutil.hpp"

using namespace goesvfi;
using namespace goesvfi::gui;
namespace fs = std::filesystem;

namespace {

// One QApplication for the whole run, on the offscreen platform; settings and caches in a private folder.
class QtEnvironment : public testing::Environment {
 public:
  void SetUp() override {
    if (!qEnvironmentVariableIsSet("QT_QPA_PLATFORM")) qputenv("QT_QPA_PLATFORM", "offscreen");
    m_home = std::make_unique<test::TempDir>();
    qputenv("XDG_CONFIG_HOME", QByteArray::fromStdString((m_home->path() / "config").string()));
    qputenv("XDG_CACHE_HOME", QByteArray::fromStdString((m_home->path() / "cache").string()));
    qputenv("XDG_DATA_HOME", QByteArray::fromStdString((m_home->path() / "data").string()));
    QStandardPaths::setTestModeEnabled(true);
    static int argc = 1;
    static char name[] = "test_gui";
    static char* argv[] = {name, nullptr};
    m_app = std::make_unique<QApplication>(argc, argv);
    QApplication::setOrganizationName("goesvfi-test");
    QApplication::setApplicationName("test_gui");
  }
  void TearDown() override {
    m_app.reset();
    m_home.reset();
  }

 private:
  std::unique_ptr<test::TempDir> m_home;
  std::unique_ptr<QApplication> m_app;
};
[[maybe_unused]] const auto* const environment = testing::AddGlobalTestEnvironment(new QtEnvironment);

// Runs the event loop until `done` or the timeout; false on timeout.
bool wait_until(const std::function<bool()>& done, int timeout_ms = 120000) {
  QElapsedTimer timer;
  timer.start();
  while (!done()) {
    if (timer.elapsed() > timeout_ms) return false;
    QTest::qWait(5);
  }
  return true;
}

ConfigField* field(const std::vector<ConfigField*>& fields, const std::string& key) {
  for (ConfigField* f : fields)
    if (f->key().name == key) return f;
  return nullptr;
}

// Types into a field's editor as a user would (select all, type, focus out).
void type_into(ConfigField* f, const QString& text) {
  if (auto* combo = qobject_cast<QComboBox*>(f->editor())) {
    combo->setCurrentText(text);
    return;
  }
  auto* line = qobject_cast<QLineEdit*>(f->editor());
  ASSERT_NE(line, nullptr) << f->key().name;
  line->selectAll();
  QTest::keyClicks(line, text);
}

void fill_timelapse(TimelapsePage* p, const DemoData& data, const fs::path& dir, const fs::path& output) {
  p->query->satellite->setCurrentText("G16");
  p->query->product->setCurrentText("ABI-L2-CMIPF");
  p->query->band->setValue(13);
  p->query->set_range(data.start, data.end);
  p->query->source->setCurrentText(QString::fromStdString((dir / "archive").string()));
  p->data_dir->set_text(QString::fromStdString((dir / "data").string()));
  p->output->set_text(QString::fromStdString(output.string()));
  type_into(field(p->fields, "interpolate.backend"), "blend");
  type_into(field(p->fields, "interpolate.intermediate"), "1");
  type_into(field(p->fields, "encode.preset"), "ultrafast");
}

}  // namespace

TEST(Gui, TimelapsePlanReportsTheMissingScanThenStartMakesTheVideo) {
  test::TempDir dir;
  const DemoData data = test::make_archive(dir / "archive", 5, 2, 64);
  GuiContext context(dir / "config.toml");
  MainWindow window(context);
  window.show_page(0);
  TimelapsePage* page = window.timelapse;
  const fs::path video = dir / "out.mp4";
  fill_timelapse(page, data, dir.path(), video);

  QTest::mouseClick(page->plan_button, Qt::LeftButton);
  ASSERT_TRUE(wait_until([&] { return !context.runner().busy(); }));
  const std::string plan = page->plan_text->toPlainText().toStdString();
  EXPECT_NE(plan.find("5 scans expected, 4 found, 1 missing"), std::string::npos) << plan;
  EXPECT_NE(plan.find("missing: 2024-05-01 12:20, 1 scan"), std::string::npos) << plan;
  // 5 slots, 1 frame between each: (5 - 1) x 2 + 1 = 9 frames, the missing scan bridged.
  EXPECT_NE(plan.find("frames: 9 ("), std::string::npos) << plan;
  EXPECT_NE(plan.find("on disk: 4, to fetch: 0"), std::string::npos)
      << plan;                      // a local archive is read in place
  EXPECT_FALSE(fs::exists(video));  // a plan writes nothing

  // The live preview: frames arrive (scaled off the GUI thread) while the video is made.
  std::vector<std::pair<QImage, qint64>> previews;
  QObject::connect(&context.runner(), &JobRunner::frame,
                   [&](const QImage& image, qint64 index) { previews.emplace_back(image, index); });
  QTest::mouseClick(page->start_button, Qt::LeftButton);
  EXPECT_FALSE(page->start_button->isEnabled());  // one job at a time
  ASSERT_TRUE(wait_until([&] { return !context.runner().busy(); }));
  EXPECT_TRUE(window.job_panel->error_label()->text().isEmpty())
      << window.job_panel->error_label()->text().toStdString();
  ASSERT_TRUE(fs::exists(video));
  EXPECT_EQ(probe_video(video).frames, 9);
  ASSERT_FALSE(previews.empty());
  EXPECT_EQ(previews.front().second, 0);  // the first frame is always shown, later ones at most 4 per second
  for (const auto& [image, index] : previews) {
    EXPECT_EQ(image.size(), QSize(64, 64));  // the frame's own size (under the 480 px preview limit)
    EXPECT_LT(index, 9);
  }
  const QImage first = previews.front().first.convertToFormat(QImage::Format_Grayscale8);
  int lo = 255, hi = 0;  // a real picture, not a blank
  for (int y = 0; y < first.height(); ++y)
    for (int x = 0; x < first.width(); ++x) {
      lo = std::min(lo, qGray(first.pixel(x, y)));
      hi = std::max(hi, qGray(first.pixel(x, y)));
    }
  EXPECT_GT(hi - lo, 50);
  EXPECT_FALSE(window.job_panel->preview()->pixmap().isNull());
  EXPECT_EQ(window.job_panel->bar()->value(), 1000);
  EXPECT_TRUE(window.job_panel->open_button()->isEnabled());
  EXPECT_NE(window.job_panel->summary()->toPlainText().toStdString().find(video.string()), std::string::npos)
      << window.job_panel->summary()->toPlainText().toStdString();
}

TEST(Gui, CancelMidRunLeavesNothing) {
  test::TempDir dir;
  const DemoData data = test::make_archive(dir / "archive", 10, -1, 192);
  GuiContext context(dir / "config.toml");
  MainWindow window(context);
  TimelapsePage* page = window.timelapse;
  const fs::path video = dir / "out" / "cancelled.mp4";
  fs::create_directories(video.parent_path());
  fill_timelapse(page, data, dir.path(), video);
  type_into(field(page->fields, "interpolate.intermediate"), "40");
  // Cancel as a person would, once frames are being made (and many are still to come).
  bool clicked = false;
  QObject::connect(&context.runner(), &JobRunner::progress, [&](const gui::ProgressEvent& e) {
    if (clicked || e.unit != "frames" || e.done == 0 || e.done >= e.total) return;
    clicked = true;
    QTest::mouseClick(window.job_panel->cancel_button(), Qt::LeftButton);
  });
  QTest::mouseClick(page->start_button, Qt::LeftButton);
  ASSERT_TRUE(wait_until([&] { return !context.runner().busy(); }));
  ASSERT_TRUE(clicked) << window.job_panel->error_label()->text().toStdString();
  EXPECT_EQ(window.job_panel->error_label()->text().toStdString(), "Cancelled: nothing was written.");
  EXPECT_FALSE(fs::exists(video));
  EXPECT_TRUE(fs::is_empty(video.parent_path()));  // no temporary file either
}

TEST(Gui, CropDrawnWithTheMouseFillsTheFieldsAndABadCropDisablesStart) {
  test::TempDir dir;
  for (int i = 0; i < 3; ++i)
    write_image(dir / ("frame" + std::to_string(i) + ".png"), synthetic_cloud_frame(160, 120, i * 10.0, 7));
  GuiContext context(dir / "config.toml");
  MainWindow window(context);
  window.show_page(1);
  InterpolatePage* page = window.interpolate;
  page->input->set_text(QString::fromStdString(dir.path().string()));
  ASSERT_EQ(page->frame_count(), 3);
  EXPECT_TRUE(page->start_button->isEnabled()) << page->reason->text().toStdString();
  // Scale 2, no margins: widget (40, 20) is image (20, 10).
  page->view->setFixedSize(320, 240);
  ASSERT_TRUE(wait_until([&] { return !page->view->image().isNull(); }));  // decoded off the GUI thread
  ASSERT_EQ(page->view->image_area(), QRectF(0, 0, 320, 240));
  QTest::mousePress(page->view, Qt::LeftButton, Qt::NoModifier, QPoint(40, 20));
  QTest::mouseMove(page->view, QPoint(120, 90));
  QTest::mouseRelease(page->view, Qt::LeftButton, Qt::NoModifier, QPoint(200, 140));
  EXPECT_TRUE(page->crop_enabled->isChecked());
  EXPECT_EQ(page->crop_x->value(), 20);
  EXPECT_EQ(page->crop_y->value(), 10);
  EXPECT_EQ(page->crop_w->value(), 80);
  EXPECT_EQ(page->crop_h->value(), 60);
  ASSERT_TRUE(page->view->crop().has_value());
  EXPECT_EQ(*page->view->crop(), QRect(20, 10, 80, 60));
  EXPECT_TRUE(page->start_button->isEnabled());

  // Typing a width past the frame's edge: Start is disabled and the reason is the library's.
  page->crop_w->selectAll();
  QTest::keyClicks(page->crop_w, "150");
  EXPECT_EQ(page->crop_w->value(), 150);
  EXPECT_FALSE(page->start_button->isEnabled());
  EXPECT_EQ(page->reason->text().toStdString(),
            "crop 20,10,150,60 does not fit the 160x120 frame (x+w <= 160 and y+h <= 120 needed)");
  EXPECT_EQ(*page->view->crop(), QRect(20, 10, 150, 60));  // the box follows the fields
  page->crop_w->selectAll();
  QTest::keyClicks(page->crop_w, "140");
  EXPECT_TRUE(page->start_button->isEnabled()) << page->reason->text().toStdString();

  // The before/after preview at t = 0.5 runs off the GUI thread and arrives.
  type_into(field(page->fields, "interpolate.backend"), "blend");
  QTest::mouseClick(page->preview_button, Qt::LeftButton);
  ASSERT_TRUE(wait_until([&] { return !page->preview_running(); }));
  EXPECT_EQ(page->preview_status->text().toStdString(), "t = 0.5 ready");
  ASSERT_FALSE(page->middle_label->pixmap().isNull());
}

TEST(Gui, IntegrityTimelineReportsTheMissingSlot) {
  test::TempDir dir;
  const DemoData data = test::make_archive(dir / "archive", 6, 3, 32);
  GuiContext context(dir / "config.toml");
  MainWindow window(context);
  window.show_page(2);
  IntegrityPage* page = window.integrity;
  page->folder->set_text(QString::fromStdString((dir / "archive").string()));
  QTest::mouseClick(page->check_button, Qt::LeftButton);
  ASSERT_TRUE(wait_until([&] { return !context.runner().busy(); }));
  const auto& slots = page->timeline->slots();
  ASSERT_EQ(slots.size(), 6u) << page->counts->text().toStdString();
  for (std::size_t i = 0; i < slots.size(); ++i) {
    EXPECT_EQ(slots[i].state, i == 3 ? catalog::SlotState::Missing : catalog::SlotState::Present) << i;
  }
  EXPECT_EQ(slots[3].time, data.missing);
  ASSERT_EQ(page->missing_runs->count(), 1);
  EXPECT_EQ(page->missing_runs->item(0)->text().toStdString(), "2024-05-01 12:30, 1 scan");
  // Hovering over the fourth cell describes the missing slot.
  page->timeline->set_pixels_per_slot(20);
  const int x = 3 * 20 + 10;
  EXPECT_EQ(page->timeline->slot_at(x), 3);
  EXPECT_EQ(page->timeline->describe_slot(3).toStdString(), "2024-05-01T12:30:00Z  missing");
  EXPECT_NE(page->timeline->describe_slot(0).toStdString().find(data.files[0].string()), std::string::npos);
}

TEST(Gui, IntegrityFetchMissingFillsTheGapFromTheSource) {
  test::TempDir dir;
  // A complete mirror, and a copy of it without its fourth scan: the folder the user checks.
  const DemoData mirror = test::make_archive(dir / "mirror", 6, -1, 32);
  fs::copy(dir / "mirror", dir / "archive", fs::copy_options::recursive);
  const fs::path lost = dir / "archive" / fs::relative(mirror.files[3], dir / "mirror");
  ASSERT_TRUE(fs::remove(lost));
  GuiContext context(dir / "config.toml");
  MainWindow window(context);
  window.show_page(2);
  IntegrityPage* page = window.integrity;
  page->folder->set_text(QString::fromStdString((dir / "archive").string()));
  EXPECT_FALSE(page->fetch_button->isEnabled());  // nothing known to be missing before a check
  QTest::mouseClick(page->check_button, Qt::LeftButton);
  ASSERT_TRUE(wait_until([&] { return !context.runner().busy(); }));
  ASSERT_EQ(page->report().missing.size(), 1u) << page->counts->text().toStdString();
  ASSERT_TRUE(page->fetch_button->isEnabled());

  page->source->setCurrentText(QString::fromStdString((dir / "mirror").string()));
  QTest::mouseClick(page->fetch_button, Qt::LeftButton);
  ASSERT_TRUE(wait_until([&] { return !context.runner().busy(); }));
  EXPECT_TRUE(window.job_panel->error_label()->text().isEmpty())
      << window.job_panel->error_label()->text().toStdString();
  // The lost scan is back, byte for byte, and the check after the fix finds the series complete.
  ASSERT_TRUE(fs::exists(lost)) << page->report_text->toPlainText().toStdString();
  EXPECT_EQ(test::read_file(lost), test::read_file(mirror.files[3]));
  EXPECT_TRUE(page->report().missing.empty());
  EXPECT_EQ(page->missing_runs->count(), 0);
  for (const auto& slot : page->timeline->slots()) EXPECT_EQ(slot.state, catalog::SlotState::Present);
  EXPECT_FALSE(page->fetch_button->isEnabled());
  EXPECT_NE(
      page->report_text->toPlainText().toStdString().find("1 missing scan(s), 1 file(s) requested, 0 failed"),
      std::string::npos)
      << page->report_text->toPlainText().toStdString();
}

TEST(Gui, SettingsRoundTripAKeyThroughTheTomlFile) {
  test::TempDir dir;
  const fs::path file = dir / "goesvfi" / "config.toml";
  GuiContext context(file);
  MainWindow window(context);
  SettingsPage* page = window.settings;
  ASSERT_EQ(page->fields.size(), config_schema().size());  // one field per declared option
  ConfigField* crf = page->field("encode.crf");
  ASSERT_NE(crf, nullptr);
  EXPECT_NE(crf->editor()->toolTip().toStdString().find("constant rate factor"), std::string::npos);
  type_into(crf, "24");
  type_into(page->field("interpolate.backend"), "blend");
  QTest::mouseClick(page->save_button, Qt::LeftButton);
  ASSERT_TRUE(fs::exists(file)) << page->status->text().toStdString();
  // The CLI's loader reads what the app wrote.
  const Config loaded = Config::load(file, true);
  EXPECT_EQ(loaded.get_int("encode.crf"), 24);
  EXPECT_EQ(loaded.get_string("interpolate.backend"), "blend");
  EXPECT_EQ(context.config().get_int("encode.crf"), 24);

  // An out-of-range value: the library's message beside the field, nothing written.
  const std::string before = test::read_file(file);
  type_into(crf, "99");
  EXPECT_FALSE(crf->error_label()->isHidden());
  EXPECT_NE(crf->error().toStdString().find("encode.crf"), std::string::npos) << crf->error().toStdString();
  QTest::mouseClick(page->save_button, Qt::LeftButton);
  EXPECT_EQ(test::read_file(file), before);

  // A file edited elsewhere shows up after Revert.
  std::ofstream(file, std::ios::app) << "[render]\ngamma = 0.5\n";
  QTest::mouseClick(page->revert_button, Qt::LeftButton);
  const auto gamma = page->field("render.gamma")->value();
  ASSERT_TRUE(gamma.has_value()) << context.load_error().toStdString();
  EXPECT_DOUBLE_EQ(std::get<double>(*gamma), 0.5);
  EXPECT_EQ(std::get<std::int64_t>(*crf->value()), 24);
}
