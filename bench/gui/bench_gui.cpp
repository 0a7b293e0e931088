// Responsiveness of the desktop app while a 1080p job runs, and what the app costs the job.
//
// Generated 1080p cloud frames on disk; the same `interpolate` job (flow backend, N=3, x264 ultrafast) run
// alternately (A/B, `--runs` pairs) two ways in this one process:
//   CLI: run_interpolate called as the CLI calls it, on the calling thread, progress rendered as plain lines
//        to /dev/null (what `goesvfi interpolate --progress plain` does);
//   GUI: the real Interpolate page (offscreen platform) — fields filled, Start clicked — while a 1 ms timer
//   on
//        the GUI thread records the longest gap between its ticks (the longest event-loop stall; a
//        responsive window answers input within ~50 ms) and the job panel renders every progress event.
// Reports the median wall time of each side, the GUI-vs-CLI slowdown, and the longest stall of every GUI run.
//
//   QT_QPA_PLATFORM=offscreen build/release/bench/bench_gui [--frames 24] [--runs 3] [--backend flow]
#include <unistd.h>

#include <QApplication>
#include <QElapsedTimer>
#include <QPushButton>
#include <QTest>
#include <QTimer>
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "core/image_io.hpp"
#include "core/progress.hpp"
#include "gui/context.hpp"
#include "gui/interpolate_page.hpp"
#include "gui/main_window.hpp"
#include "gui/widgets.hpp"
#include "pipeline/interpolate.hpp"
#include "pipeline/synthetic.hpp"

using namespace goesvfi;
using namespace goesvfi::gui;
namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

namespace {

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v.empty() ? 0 : v[v.size() / 2];
}

void set_field(InterpolatePage* page, const std::string& key, const std::string& value,
               const Config& config) {
  for (ConfigField* f : page->fields) {
    if (f->key().name != key) continue;
    Config scratch = config;
    scratch.set_text(key, value, "bench");
    f->set_value(scratch.get(key));
  }
}

}  // namespace

int main(int argc, char** argv) {
  int frames = 24, runs = 3;
  std::string backend = "flow";
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string a = argv[i];
    if (a == "--frames") frames = std::stoi(argv[i + 1]);
    if (a == "--runs") runs = std::stoi(argv[i + 1]);
    if (a == "--backend") backend = argv[i + 1];
  }
  if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM")) qputenv("QT_QPA_PLATFORM", "offscreen");
  const fs::path dir = fs::temp_directory_path() / fmt::format("goesvfi-bench-gui-{}", ::getpid());
  fs::create_directories(dir / "frames");
  qputenv("XDG_CONFIG_HOME", QByteArray::fromStdString((dir / "config").string()));
  QApplication app(argc, argv);
  QApplication::setOrganizationName("goesvfi-bench");

  fmt::print("generating {} 1920x1080 frames in {}\n", frames, dir.string());
  for (int i = 0; i < frames; ++i) {
    write_image(dir / "frames" / fmt::format("f{:03}.png", i),
                synthetic_cloud_frame(1920, 1080, i * 10.0, 11));
  }

  Config config;
  config.set_text("encode.preset", "ultrafast", "bench");
  config.set_text("interpolate.backend", backend, "bench");
  config.set_text("interpolate.intermediate", "3", "bench");

  std::vector<double> cli_s, gui_s, stalls_ms;
  for (int r = 0; r < runs; ++r) {
    // CLI side: the library call the CLI makes, plain progress lines.
    {
      InterpolateJob job;
      job.inputs = {(dir / "frames").string()};
      job.output = dir / "cli.mp4";
      job.backend = backend;
      job.intermediate = 3;
      job.encode = EncodeOptions::from_config(config);
      std::FILE* sink = std::fopen("/dev/null", "w");
      Progress progress(ProgressMode::Plain, sink);
      const auto t0 = Clock::now();
      run_interpolate(job, config, progress, CancelToken());
      cli_s.push_back(std::chrono::duration<double>(Clock::now() - t0).count());
      std::fclose(sink);
    }
    // GUI side: the Interpolate page, Start clicked, the event loop watched.
    {
      GuiContext context(dir / "config.toml");
      MainWindow window(context);
      window.show_page(1);
      window.show();
      InterpolatePage* page = window.interpolate;
      page->input->set_text(QString::fromStdString((dir / "frames").string()));
      page->output->set_text(QString::fromStdString((dir / "gui.mp4").string()));
      set_field(page, "interpolate.backend", backend, config);
      set_field(page, "interpolate.intermediate", "3", config);
      set_field(page, "encode.preset", "ultrafast", config);
      QTest::qWait(200);  // thumbnails and the first frame settle before the clock starts
      double longest = 0;
      QElapsedTimer tick;
      QTimer timer;
      timer.setTimerType(Qt::PreciseTimer);
      QObject::connect(&timer, &QTimer::timeout, [&] {
        longest = std::max(longest, static_cast<double>(tick.nsecsElapsed()) / 1e6);
        tick.start();
      });
      const auto t0 = Clock::now();
      page->start_button->click();
      tick.start();
      timer.start(1);
      while (context.runner().busy()) QCoreApplication::processEvents(QEventLoop::WaitForMoreEvents, 5);
      timer.stop();
      gui_s.push_back(std::chrono::duration<double>(Clock::now() - t0).count());
      stalls_ms.push_back(longest);
    }
    fmt::print("run {}: CLI {:.2f} s, GUI {:.2f} s, longest event-loop stall {:.1f} ms\n", r + 1,
               cli_s.back(), gui_s.back(), stalls_ms.back());
  }
  const double cli = median(cli_s), gui = median(gui_s);
  fmt::print("{} frames 1920x1080, {} N=3, x264 ultrafast, {} runs each (alternating):\n", frames, backend,
             runs);
  fmt::print("  CLI median {:.2f} s, GUI median {:.2f} s: GUI {:+.1f} %\n", cli, gui, (gui / cli - 1) * 100);
  fmt::print("  longest event-loop stall while the job ran: median {:.1f} ms, worst {:.1f} ms\n",
             median(stalls_ms), *std::max_element(stalls_ms.begin(), stalls_ms.end()));
  fs::remove_all(dir);
  return 0;
}
