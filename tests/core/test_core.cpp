#include <atomic>
#include <fstream>
#include <functional>
#include <thread>

#include <gtest/gtest.h>

#include "core/atomic_file.hpp"
#include "core/bounded_queue.hpp"
#include "core/cancel.hpp"
#include "core/config.hpp"
#include "core/config_file.hpp"
#include "core/error.hpp"
#include "core/image.hpp"
#include "core/image_io.hpp"
#include "core/progress.hpp"
#include "core/thread_pool.hpp"
#include "core/time.hpp"
#include "testutil/testutil.hpp"

using namespace goesvfi;
namespace fs = std::filesystem;

TEST(Error, CarriesKindMessageAndContext) {
  try {
    with_context("while reading frame 3", [] { fail(ErrorKind::Corrupt, "file {} is truncated", "a.png"); });
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::Corrupt);
    EXPECT_EQ(e.message(), "file a.png is truncated");
    EXPECT_EQ(e.describe(), "file a.png is truncated\n  while reading frame 3");
    EXPECT_EQ(exit_code_for(e.kind()), 5);
  }
}

TEST(Image, ViewSharesPixelsAndChecksBounds) {
  Image img(10, 8, 3, SampleType::U8);
  EXPECT_EQ(img.stride() % Image::k_row_alignment, 0u);
  img.row<std::uint8_t>(2)[3 * 3 + 1] = 77;
  Image v = img.view({3, 2, 4, 4});
  EXPECT_EQ(v.width(), 4);
  EXPECT_EQ(v.row<std::uint8_t>(0)[1], 77);
  EXPECT_FALSE(img.is_unique());
  Image c = v.clone();
  c.row<std::uint8_t>(0)[1] = 5;
  EXPECT_EQ(img.row<std::uint8_t>(2)[10], 77);
  try {
    (void)img.view({8, 0, 4, 4});
    FAIL();
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("10x8"), std::string::npos) << e.what();
  }
}

TEST(Image, ConvertsTypesAndChannels) {
  Image img(4, 2, 4, SampleType::U8);
  for (int x = 0; x < 4; ++x) {
    auto* p = img.row<std::uint8_t>(0) + x * 4;
    p[0] = 255, p[1] = 128, p[2] = 0, p[3] = 255;
  }
  const Image u16 = convert_type(img, SampleType::U16);
  EXPECT_EQ(u16.row<std::uint16_t>(0)[0], 65535);
  EXPECT_EQ(u16.row<std::uint16_t>(0)[1], 128 * 257);
  const Image back = convert_type(u16, SampleType::U8);
  EXPECT_EQ(back.row<std::uint8_t>(0)[1], 128);
  const Image grey = convert_channels(img, 1);
  EXPECT_NEAR(grey.row<std::uint8_t>(0)[0], 0.299 * 255 + 0.587 * 128, 1.0);
  const Image rgb = convert_channels(grey, 3);
  EXPECT_EQ(rgb.row<std::uint8_t>(0)[0], rgb.row<std::uint8_t>(0)[2]);
}

TEST(ThreadPool, ParallelForCoversRangeOnceAndNests) {
  ThreadPool pool(2);
  std::vector<std::atomic<int>> hits(1000);
  pool.parallel_for(0, 1000, [&](std::ptrdiff_t b, std::ptrdiff_t e) {
    for (auto i = b; i < e; ++i) hits[static_cast<std::size_t>(i)]++;
    pool.parallel_for(0, 4, [](std::ptrdiff_t, std::ptrdiff_t) {});  // nested use must not deadlock
  });
  for (auto& h : hits) EXPECT_EQ(h.load(), 1);
  EXPECT_ERROR(pool.parallel_for(0, 100,
                                 [](std::ptrdiff_t b, std::ptrdiff_t) {
                                   if (b > 50) throw Error(ErrorKind::Io, "slice failed");
                                 }),
               ErrorKind::Io, "slice failed");
  auto f = pool.submit([] { return 42; });
  EXPECT_EQ(pool.wait(f), 42);
}

TEST(BoundedQueue, BlocksWhenFullAndPropagatesClose) {
  BoundedQueue<int> q(2);
  std::thread producer([&] {
    for (int i = 0; i < 100; ++i) q.push(i);
    q.close();
  });
  int expected = 0;
  while (auto v = q.pop()) EXPECT_EQ(*v, expected++);
  producer.join();
  EXPECT_EQ(expected, 100);
  BoundedQueue<int> failing(1);
  failing.close(std::make_exception_ptr(Error(ErrorKind::Io, "upstream failed")));
  EXPECT_ERROR(failing.pop(), ErrorKind::Io, "upstream failed");
}

TEST(Cancel, ChildSeesParentCancel) {
  CancelToken parent;
  CancelToken child = CancelToken::child_of(parent);
  EXPECT_FALSE(child.cancelled());
  parent.cancel();
  EXPECT_TRUE(child.cancelled());
  EXPECT_ERROR(child.throw_if_cancelled(), ErrorKind::Cancelled, "cancelled");
  CancelToken other;
  EXPECT_FALSE(other.cancelled());
}

TEST(Time, ParsesAndFormatsUtc) {
  EXPECT_EQ(format_iso(parse_utc("2024-05-01T12:00Z")), "2024-05-01T12:00:00Z");
  EXPECT_EQ(format_iso(parse_utc("2024-05-01 12:00:30.5")), "2024-05-01T12:00:30.500Z");
  EXPECT_EQ(format_iso(parse_utc("2024-05-01")), "2024-05-01T00:00:00Z");
  EXPECT_ERROR(parse_utc("2024-13-01"), ErrorKind::InvalidArgument, "'2024-13-01' is not a UTC time");
  EXPECT_ERROR(parse_utc("yesterday"), ErrorKind::InvalidArgument, "'yesterday' is not a UTC time");
  EXPECT_TRUE(make_utc_doy(2024, 366, 0, 0, 0).has_value());
  EXPECT_FALSE(make_utc_doy(2023, 366, 0, 0, 0).has_value());
  EXPECT_EQ(format_compact(*make_utc_doy(2024, 122, 18, 0, 21)), "20240501T180021Z");
  EXPECT_EQ(utc_fields(parse_utc("2024-12-31T00:00Z")).day_of_year, 366);
}

TEST(Config, DefaultsValidationAndLayers) {
  Config cfg;
  EXPECT_EQ(cfg.get_string("interpolate.backend"), "flow");
  EXPECT_EQ(cfg.source("encode.crf"), "default");
  cfg.set_text("encode.crf", "23", "--crf");
  EXPECT_EQ(cfg.get_int("encode.crf"), 23);
  EXPECT_EQ(cfg.source("encode.crf"), "--crf");
  try {
    cfg.set_text("interpolate.fps", "-3", "--fps");
    FAIL();
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("interpolate.fps '-3'"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("from 0.01 to 1000"), std::string::npos) << e.what();
  }
  cfg.apply_profile("optimal");
  EXPECT_EQ(cfg.get_string("encode.codec"), "libx265");
  EXPECT_EQ(cfg.get_int("encode.crf"), 23);  // the flag wins over the profile
  EXPECT_ERROR(cfg.apply_profile("nope"), ErrorKind::InvalidArgument, "unknown encoding profile 'nope'");
}

TEST(Config, FileErrorsNameFileKeyValueAndAllowed) {
  test::TempDir dir;
  const auto path = dir / "config.toml";
  std::ofstream(path) << "[flow]\nfallback = \"magic\"\n";
  try {
    Config::load(path);
    FAIL();
  } catch (const Error& e) {
    const std::string msg = e.what();
    EXPECT_NE(msg.find(path.string()), std::string::npos) << msg;
    EXPECT_NE(msg.find("flow.fallback"), std::string::npos) << msg;
    EXPECT_NE(msg.find("'magic'"), std::string::npos) << msg;
    EXPECT_NE(msg.find("one of blend, hold"), std::string::npos) << msg;
  }
  std::ofstream(path) << "[general]\nthreadz = 3\n";
  EXPECT_ERROR(Config::load(path), ErrorKind::InvalidArgument, "unknown key 'general.threadz'");
  std::ofstream(path) << "[encode]\ncrf = 30\n[profile.web]\ncodec = \"libx264\"\ncrf = 25\n";
  Config cfg = Config::load(path);
  EXPECT_EQ(cfg.get_int("encode.crf"), 30);
  cfg.apply_profile("web");
  EXPECT_EQ(cfg.get_int("encode.crf"), 30);  // the file's explicit value stays
  EXPECT_EQ(cfg.source("encode.codec"), "profile web");
  // The template loads back (every key commented out) and lists every key.
  std::ofstream(path) << Config::commented_template();
  EXPECT_NO_THROW(Config::load(path));
  for (const auto& k : config_schema()) {
    EXPECT_NE(Config::commented_template().find(k.name.substr(k.name.find('.') + 1) + " ="),
              std::string::npos)
        << k.name;
  }
}

TEST(AtomicFile, CommitsOrLeavesNothing) {
  test::TempDir dir;
  write_file_atomic(dir / "a.txt", std::string_view("hello"));
  EXPECT_EQ(fs::file_size(dir / "a.txt"), 5u);
  {
    AtomicFile f(dir / "b.txt");
    std::ofstream(f.temp_path()) << "partial";
  }
  EXPECT_FALSE(fs::exists(dir / "b.txt"));
  EXPECT_EQ(std::distance(fs::directory_iterator(dir.path()), fs::directory_iterator()), 1);
  EXPECT_ERROR(AtomicFile(dir / "missing" / "x"), ErrorKind::NotFound, "missing does not exist");
}

TEST(ImageIo, RoundTripsAndRejectsTruncated) {
  test::TempDir dir;
  for (auto type : {SampleType::U8, SampleType::U16}) {
    for (int ch : {1, 3, 4}) {
      const Image img = test::make_pattern(33, 17, ch, type);
      const auto path = dir / ("x.PNG");
      write_image(path, img);
      const Image back = read_image(path);
      ASSERT_TRUE(back.same_layout(img)) << back.describe() << " vs " << img.describe();
      EXPECT_GT(test::psnr(back, img), 100.0);
      EXPECT_EQ(read_image_header(path).width, 33);
    }
  }
  const Image img = test::make_pattern(64, 48, 3, SampleType::U8);
  write_image(dir / "y.jpg", img);
  EXPECT_EQ(read_image_header(dir / "y.jpg").height, 48);
  EXPECT_GT(test::psnr(read_image(dir / "y.jpg"), img), 30.0);
  fs::resize_file(dir / "y.jpg", 100);
  EXPECT_ERROR(read_image(dir / "y.jpg"), ErrorKind::Corrupt, "y.jpg cannot be decoded");
  std::ofstream(dir / "empty.png");
  EXPECT_ERROR(read_image(dir / "empty.png"), ErrorKind::Corrupt, "empty.png is empty");
}

// What a renderer of `mode` writes while `work` reports.
std::string rendered(ProgressMode mode, const std::function<void(Progress&)>& work) {
  std::FILE* f = std::tmpfile();
  {
    Progress p(mode, f);
    work(p);
  }
  std::rewind(f);
  char buf[4096] = {};
  const auto n = std::fread(buf, 1, sizeof buf - 1, f);
  std::fclose(f);
  return std::string(buf, n);
}

TEST(Progress, JsonLinesAreEmitted) {
  const std::string text = rendered(ProgressMode::Json, [](Progress& p) {
    auto t = p.task("encode", 3, "frames");
    t.advance(3);
    t.finish();
  });
  EXPECT_NE(text.find("\"event\":\"finish\""), std::string::npos) << text;
  EXPECT_NE(text.find("\"done\":3"), std::string::npos) << text;
}

TEST(Config, UpdateConfigFileSetsRemovesKeepsProfilesAndRejectsBadValues) {
  test::TempDir dir;
  const auto path = dir / "sub" / "config.toml";
  update_config_file(path, {{"encode.crf", ConfigValue{std::int64_t{24}}},
                            {"interpolate.backend", ConfigValue{std::string("blend")}}});
  Config cfg = Config::load(path, true);
  EXPECT_EQ(cfg.get_int("encode.crf"), 24);
  EXPECT_EQ(cfg.get_string("interpolate.backend"), "blend");
  EXPECT_EQ(cfg.source("encode.crf"), "file " + path.string());

  // A profile and a key written by hand survive an update of another key.
  std::ofstream(path, std::ios::app) << "[profile.web]\ncrf = 28\n";
  update_config_file(path, {{"interpolate.fps", ConfigValue{12.5}}, {"encode.crf", std::nullopt}});
  cfg = Config::load(path, true);
  EXPECT_DOUBLE_EQ(cfg.get_float("interpolate.fps"), 12.5);
  EXPECT_EQ(cfg.get_int("encode.crf"), 18);  // removed: back to the default
  EXPECT_EQ(cfg.source("encode.crf"), "default");
  EXPECT_EQ(cfg.get_string("interpolate.backend"), "blend");
  cfg.apply_profile("web");
  EXPECT_EQ(cfg.get_int("encode.crf"), 28);

  // A bad value names the key and what is allowed, and leaves the file unchanged.
  const std::string before = test::read_file(path);
  test::expect_invalid(
      [&] {
        update_config_file(path, {{"encode.crf", ConfigValue{std::int64_t{99}}}});
      },
      "encode.crf");
  test::expect_invalid(
      [&] {
        update_config_file(path, {{"flow.fallback", ConfigValue{std::string("magic")}}});
      },
      "one of blend, hold");
  test::expect_invalid(
      [&] {
        update_config_file(path, {{"encode.nope", ConfigValue{true}}});
      },
      "encode.nope");
  EXPECT_EQ(test::read_file(path), before);
}

TEST(Progress, CallbackSinkSeesStructuredEventsFromManyThreads) {
  Progress p;
  std::vector<ProgressEvent> events;  // sinks are called one at a time, so no lock is needed here
  p.subscribe([&](const ProgressEvent& e) { events.push_back(e); });
  {
    auto t = p.task("fetch", 400, "files");
    std::vector<std::thread> workers;
    for (int w = 0; w < 4; ++w) {
      workers.emplace_back([&t] {
        for (int i = 0; i < 100; ++i) {
          t.advance();
          t.add_bytes(10);
        }
      });
    }
    for (auto& w : workers) w.join();
    t.note("gap at 12:10 bridged");
    t.finish();
    t.advance();  // after finish: ignored
  }
  ASSERT_GE(events.size(), 3u);
  EXPECT_EQ(events.front().kind, ProgressEventKind::Start);
  EXPECT_EQ(events.front().task, "fetch");
  EXPECT_EQ(events.front().total, 400);
  EXPECT_EQ(events.front().done, 0);
  const auto& note = events[events.size() - 2];
  EXPECT_EQ(note.kind, ProgressEventKind::Note);
  EXPECT_EQ(note.message, "gap at 12:10 bridged");
  const auto& last = events.back();
  EXPECT_EQ(last.kind, ProgressEventKind::Finish);
  EXPECT_EQ(last.done, 400);
  EXPECT_EQ(last.bytes, 4000);
  EXPECT_EQ(last.unit, "files");
  EXPECT_DOUBLE_EQ(last.fraction(), 1.0);
  // Updates are monotonic and never exceed the final count.
  std::int64_t prev = 0;
  for (const auto& e : events) {
    EXPECT_GE(e.done, prev);
    prev = e.done;
  }
}

TEST(Progress, FramesGoOnlyToSinksThatWantThem) {
  struct FrameSink final : ProgressSink {
    std::int64_t index = -1;
    int width = 0;
    void on_event(const ProgressEvent& e) override {
      if (e.kind != ProgressEventKind::Frame) return;
      index = e.frame_index;
      width = e.frame->width();
    }
    bool wants_frames() const override { return true; }
  };
  Progress p;
  int frames_seen_by_plain = 0;
  p.subscribe([&](const ProgressEvent& e) { frames_seen_by_plain += e.kind == ProgressEventKind::Frame; });
  auto sink = std::make_shared<FrameSink>();
  p.subscribe(sink);
  auto t = p.task("frames", 2, "frames");
  t.frame(test::make_pattern(32, 16, 3, SampleType::U8), 7);
  EXPECT_EQ(sink->index, 7);
  EXPECT_EQ(sink->width, 32);
  EXPECT_EQ(frames_seen_by_plain, 0);
}

TEST(Progress, PlainAndJsonRenderersAreViewsOfTheSameEvents) {
  const std::string text = rendered(ProgressMode::Plain, [](Progress& p) {
    auto t = p.task("render", 4, "files");
    t.advance(2);
    t.note("one file skipped");
    t.advance(2);
    t.finish();
  });
  EXPECT_NE(text.find("render: 2/4 files (50%)"), std::string::npos) << text;
  EXPECT_NE(text.find("render: one file skipped"), std::string::npos) << text;
  EXPECT_NE(text.find("render: 4/4 files (100%)"), std::string::npos) << text;
  EXPECT_EQ(make_progress_renderer(ProgressMode::None), nullptr);
  EXPECT_EQ(progress_mode_names().size(), 5u);
  EXPECT_EQ(parse_progress_mode("json"), ProgressMode::Json);
}

// Every key of the schema round-trips through a saved file with a value other than its default.
TEST(Config, EveryKeyRoundTripsThroughSave) {
  Config cfg;
  int changed = 0;
  for (const auto& k : config_schema()) {
    std::vector<ConfigValue> candidates;
    switch (k.type) {
      case ConfigType::Bool:
        candidates = {!std::get<bool>(k.default_value)};
        break;
      case ConfigType::Int: {
        const auto def = std::get<std::int64_t>(k.default_value);
        candidates = {static_cast<std::int64_t>(k.max), def + 1, def - 1, static_cast<std::int64_t>(k.min)};
        break;
      }
      case ConfigType::Float: {
        const double def = std::get<double>(k.default_value);
        candidates = {(k.min + k.max) / 3.0, def / 2.0 + k.min / 2.0};
        break;
      }
      case ConfigType::String:
        for (const auto& c : config_choices(k)) candidates.emplace_back(c);
        candidates.emplace_back(std::string("12.5"));
        candidates.emplace_back(std::string("a \"quoted\" \\ value"));
        candidates.emplace_back(std::string("10"));  // a count: Slurm's minutes or megabytes
        break;
    }
    bool set = false;
    for (const auto& v : candidates) {
      if (v == k.default_value) continue;
      try {
        cfg.set(k.name, v, "test");
        set = true;
        break;
      } catch (const Error&) {
      }
    }
    EXPECT_TRUE(set) << k.name << ": no valid value besides the default";
    changed += set;
  }
  EXPECT_EQ(changed, static_cast<int>(config_schema().size()));
  test::TempDir dir;
  cfg.save(dir / "saved.toml");
  const Config loaded = Config::load(dir / "saved.toml", true);
  for (const auto& k : config_schema()) {
    EXPECT_EQ(loaded.get(k.name), cfg.get(k.name)) << k.name;
    EXPECT_NE(loaded.get(k.name), k.default_value) << k.name;
    EXPECT_TRUE(loaded.is_set(k.name)) << k.name;
  }
  // A default config saves to nothing, and loads back to the defaults.
  EXPECT_EQ(Config().to_toml(), "");
}

TEST(Config, SchemaRowsDescribeFlagsGroupsAndChoices) {
  const ConfigKey* n = find_config_key("interpolate.intermediate");
  ASSERT_NE(n, nullptr);
  EXPECT_EQ(n->long_flag(), "--intermediate");
  EXPECT_EQ(n->group, "stream");
  const auto encode = config_group("encode");
  std::vector<std::string> names;
  for (const auto* k : encode) names.push_back(k->name);
  EXPECT_NE(std::find(names.begin(), names.end(), "encode.tune"), names.end());
  EXPECT_NE(std::find(names.begin(), names.end(), "encode.filters"), names.end());
  // Every flag name is used once per group, and every group listed has keys.
  for (const auto& g : config_groups()) EXPECT_FALSE(config_group(g).empty()) << g;
  // A registry provides choices; the row names it.
  register_config_choices("test registry", [] { return std::vector<std::string>{"alpha", "beta"}; });
  ConfigKey k;
  k.name = "x.y";
  k.default_value = std::string("alpha");
  const ConfigKey row = std::move(k).registry("test registry");
  EXPECT_EQ(config_choices(row), (std::vector<std::string>{"alpha", "beta"}));
  EXPECT_EQ(describe_allowed(row), "one of alpha, beta");
  EXPECT_EQ(describe_allowed(*find_config_key("encode.crf")), "an integer from -1 to 63");
}
