// Responsiveness of the desktop app while a 1080p job runs, and what the app costs the job.
//
// Generated 1080p cloud frames on disk and one config file (flow backend, N=3, x264 ultrafast); the same
// `interpolate` job run alternately (A/B, `--runs` pairs) two ways in this one process:
//   CLI: run_interpolate called as `goesvfi interpolate DIR --progress plain` calls it, on the calling
//   thread; GUI: the real Interpolate page (offscreen platform): folder chosen, thumbnails in, Start clicked,
//   the
//        app's event loop running while a 2 ms timer on the GUI thread records the longest gap between its
//        ticks (the longest event-loop stall; a responsive window answers input within ~50 ms).
// Reports wall and CPU time (the whole process) of each side and the GUI-vs-CLI difference, the longest
// stall of every GUI run, and, as the machine's own baseline, how late a thread that only sleeps 1 ms at a
// time wakes up during the CLI runs (on a loaded machine that alone can be tens of ms).
//
//   QT_QPA_PLATFORM=offscreen build/release/bench/bench_gui [--frames 24] [--runs 3] [--backend flow]
#include <unistd.h>

#include <QApplication>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QListWidget>
#include <QPushButton>
#include <QTest>
#include <QTimer>
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include <fmt/format.h>

#include "core/config_file.hpp"
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

double cpu_seconds() {  // of the whole process, all threads
  timespec t{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
  return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_nsec) / 1e9;
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v.empty() ? 0 : v[v.size() / 2];
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

  // One config file for both sides, as the CLI and the app share it.
  const fs::path config_file = dir / "config.toml";
  update_config_file(config_file, {{"encode.preset", ConfigValue{std::string("ultrafast")}},
                                   {"interpolate.backend", ConfigValue{backend}},
                                   {"interpolate.intermediate", ConfigValue{std::int64_t{3}}}});

  std::vector<double> cli_s, gui_s, cli_cpu, gui_cpu, stalls_ms, sleeps_ms;
  for (int r = 0; r < runs; ++r) {
    // CLI side: what `goesvfi interpolate DIR -o cli.mp4 --progress plain` does with this config file.
    {
      Config config = Config::load(config_file, true);
      config.apply_profile(config.get_string("encode.profile"));
      InterpolateJob job;
      job.inputs = {(dir / "frames").string()};
      job.output = dir / "cli.mp4";
      job.backend = config.get_string("interpolate.backend");
      job.intermediate = static_cast<int>(config.get_int("interpolate.intermediate"));
      job.encode = EncodeOptions::from_config(config);
      job.prefetch = static_cast<int>(config.get_int("interpolate.prefetch"));
      std::FILE* sink = std::fopen("/dev/null", "w");
      Progress progress(ProgressMode::Plain, sink);
      // The machine's own scheduling delay meanwhile: a thread that only sleeps 1 ms at a time.
      std::atomic<bool> running{true};
      double oversleep = 0;
      std::thread sleeper([&] {
        while (running) {
          const auto t = Clock::now();
          std::this_thread::sleep_for(std::chrono::milliseconds(1));
          oversleep =
              std::max(oversleep, std::chrono::duration<double, std::milli>(Clock::now() - t).count());
        }
      });
      const double c0 = cpu_seconds();
      const auto t0 = Clock::now();
      run_interpolate(job, config, progress, CancelToken());
      cli_s.push_back(std::chrono::duration<double>(Clock::now() - t0).count());
      cli_cpu.push_back(cpu_seconds() - c0);
      running = false;
      sleeper.join();
      sleeps_ms.push_back(oversleep);
      std::fclose(sink);
    }
    // GUI side: the Interpolate page, Start clicked, the event loop watched.
    {
      GuiContext context(config_file);
      MainWindow window(context);
      window.show_page(1);
      window.show();
      InterpolatePage* page = window.interpolate;
      page->input->set_text(QString::fromStdString((dir / "frames").string()));
      page->output->set_text(QString::fromStdString((dir / "gui.mp4").string()));
      // The folder's thumbnails (decoded on the pool) are all in before the clock starts.
      auto thumbnails_in = [page] {
        for (int i = 0; i < page->filmstrip->count(); ++i)
          if (page->filmstrip->item(i)->icon().isNull()) return false;
        return true;
      };
      while (!thumbnails_in()) QTest::qWait(20);
      double longest = 0;
      QElapsedTimer tick;
      QTimer timer;
      timer.setTimerType(Qt::PreciseTimer);
      QObject::connect(&timer, &QTimer::timeout, [&] {
        longest = std::max(longest, static_cast<double>(tick.nsecsElapsed()) / 1e6);
        tick.start();
      });
      const double c0 = cpu_seconds();
      const auto t0 = Clock::now();
      page->start_button->click();
      tick.start();
      timer.start(2);
      // The app's own event loop (as QApplication::exec runs it) until the job ends.
      QEventLoop loop;
      QObject::connect(&context.runner(), &JobRunner::finished, &loop, &QEventLoop::quit);
      if (context.runner().busy()) loop.exec();
      timer.stop();
      gui_s.push_back(std::chrono::duration<double>(Clock::now() - t0).count());
      gui_cpu.push_back(cpu_seconds() - c0);
      stalls_ms.push_back(longest);
    }
    fmt::print(
        "run {}: CLI {:.2f} s wall / {:.2f} s CPU (a sleeping thread woke up to {:.1f} ms late meanwhile), "
        "GUI "
        "{:.2f} s wall / {:.2f} s CPU, longest event-loop stall {:.1f} ms\n",
        r + 1, cli_s.back(), cli_cpu.back(), sleeps_ms.back(), gui_s.back(), gui_cpu.back(),
        stalls_ms.back());
  }
  const double cli = median(cli_s), gui = median(gui_s);
  fmt::print("{} frames 1920x1080, {} N=3, x264 ultrafast, {} runs each (alternating):\n", frames, backend,
             runs);
  fmt::print("  wall: CLI median {:.2f} s, GUI median {:.2f} s: GUI {:+.1f} %\n", cli, gui,
             (gui / cli - 1) * 100);
  const double ccpu = median(cli_cpu), gcpu = median(gui_cpu);
  fmt::print(
      "  CPU:  CLI median {:.2f} s, GUI median {:.2f} s: GUI {:+.1f} % (the GUI thread and the 2 ms probe "
      "timer "
      "included)\n",
      ccpu, gcpu, (gcpu / ccpu - 1) * 100);
  fmt::print("  longest event-loop stall while the job ran: median {:.1f} ms, worst {:.1f} ms\n",
             median(stalls_ms), *std::max_element(stalls_ms.begin(), stalls_ms.end()));
  fmt::print(
      "  baseline: a thread sleeping 1 ms at a time during the CLI runs woke up to {:.1f} ms late (median)\n",
      median(sleeps_ms));
  fs::remove_all(dir);
  return 0;
}
