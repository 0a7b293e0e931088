// ncnn .param/.bin loading: the golden model's sizes, fp32 weights, and clear errors (never a crash) for
// truncated, oversized, quantised and malformed files.
#include <random>

#include <fstream>

#include "golden_util.hpp"
#include "interp/rife/model_list.hpp"
#include "testutil/testutil.hpp"

using namespace goesvfi;
using namespace goesvfi::rife;
using namespace goesvfi::rife::test;

namespace {

std::string golden_param() {
  const auto bytes = read_file_bytes(golden_dir() / "flownet.param");
  return std::string(reinterpret_cast<const char*>(bytes.data()), bytes.size());
}

// Expects `fn` to throw goesvfi::Error of `kind` whose message contains every `parts` entry.
template <typename Fn>
void expect_error(Fn&& fn, ErrorKind kind, std::initializer_list<std::string> parts) {
  try {
    fn();
    ADD_FAILURE() << "no error";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), kind) << e.describe();
    for (const auto& p : parts)
      EXPECT_NE(e.describe().find(p), std::string::npos) << e.describe() << " lacks " << p;
  }
}

const char* k_tiny = R"(7767517
4 4
Input            in0   0 1 in0
Convolution      conv  1 1 in0 c 0=2 1=3 4=1 5=1 6=18 9=1
BinaryOp         mul   1 1 c m 0=2 1=1 2=2.0
Crop             crop  1 1 m out -23309=1,1 -23310=1,2 -23311=1,0
)";

std::vector<std::byte> as_bytes(const std::vector<float>& v, std::uint32_t tag, bool with_tag) {
  std::vector<std::byte> out;
  if (with_tag) {
    out.resize(4);
    std::memcpy(out.data(), &tag, 4);
  }
  const std::size_t at = out.size();
  out.resize(at + v.size() * 4);
  std::memcpy(out.data() + at, v.data(), v.size() * 4);
  return out;
}

}  // namespace

TEST(RifeLoader, GoldenModelSizesAndGraph) {
  const auto& m = golden_model();
  EXPECT_EQ(m.info().bin_bytes, 10614320u);
  EXPECT_EQ(expected_bin_size_fp16(m.net().graph()), 10614320u);
  EXPECT_EQ(m.info().parameters, 5302416u);
  EXPECT_EQ(m.net().graph().layers.size(), 215u);
  EXPECT_EQ(m.net().graph().blob_names.size(), 276u);
  EXPECT_EQ(m.levels(), 4);
  EXPECT_EQ(m.info().version, "4.6");
  // Weights within the README's per-layer limits (fp16 decoded correctly), biases within +-0.01.
  const auto& conv0 = m.net().graph().layers[8];
  ASSERT_EQ(conv0.name, "convrelu_0");
  ASSERT_EQ(conv0.weights.size(), 6048u);
  for (float w : conv0.weights) ASSERT_LE(std::abs(w), 0.2183f);  // limit a = sqrt(3/63)
  for (float b : conv0.bias) ASSERT_LE(std::abs(b), 0.01f);
}

TEST(RifeLoader, CheckModelReportsWork) {
  const ModelCheck c = check_model(golden_dir());
  EXPECT_EQ(c.levels, 4);
  EXPECT_EQ(c.expected_bin_bytes, 10614320u);
  EXPECT_NEAR(c.gmac_1080p, 87.6, 0.5);  // the issue's "about 88 GMAC per 1080p frame"
}

namespace fs = std::filesystem;

TEST(RifeLoader, ListModelsTellsWorkingFromBrokenFolders) {
  goesvfi::test::TempDir dir;
  const fs::path good = dir / "rife-v4.6";
  fs::create_directories(good);
  fs::copy_file(golden_dir() / "flownet.param", good / "flownet.param");
  fs::copy_file(golden_dir() / "flownet.bin", good / "flownet.bin");
  const fs::path broken = dir / "rife-v9.9";
  fs::create_directories(broken);
  fs::copy_file(golden_dir() / "flownet.param", broken / "flownet.param");
  { std::ofstream(broken / "flownet.bin") << "short"; }
  const auto models = list_models(dir.path());
  ASSERT_EQ(models.size(), 2u);
  EXPECT_EQ(models[0].dir, good);
  EXPECT_TRUE(models[0].ok);
  EXPECT_EQ(models[0].status, "ok");
  EXPECT_EQ(models[0].version, "4.6");
  EXPECT_EQ(models[0].bin_bytes, fs::file_size(golden_dir() / "flownet.bin"));
  EXPECT_FALSE(models[1].ok);
  EXPECT_EQ(models[1].version, "9.9");  // from the folder name
  EXPECT_EQ(models[1].bin_bytes, 5u);
  EXPECT_NE(models[1].status.find("flownet.bin"), std::string::npos) << models[1].status;
  const std::string text = describe_check(good, check_model(good));
  EXPECT_EQ(text.rfind(good.string() + ": RIFE v4.6 ok\n  layers ", 0), 0u) << text;
  EXPECT_NE(text.find("IFBlock levels 4"), std::string::npos) << text;
}

TEST(RifeLoader, RawFp32WeightsAndArrayParams) {
  ParamGraph g = parse_param(k_tiny, "tiny.param");
  std::vector<float> w(18), b = {0.5f, -0.25f};
  for (int i = 0; i < 18; ++i) w[i] = 0.01f * static_cast<float>(i) - 0.05f;
  auto bin = as_bytes(w, 0, true);
  const auto bias = as_bytes(b, 0, false);
  bin.insert(bin.end(), bias.begin(), bias.end());
  load_weights(g, bin, "tiny.bin");
  EXPECT_EQ(g.layers[1].weights, w);
  EXPECT_EQ(g.layers[1].bias, b);
  EXPECT_EQ(g.layers[3].params.get_array(10), std::vector<float>{2.0f});
  Net net(std::move(g), "tiny.param");
  Tensor in = Tensor::make(1, 3, 3);
  for (int i = 0; i < 9; ++i) in.data()[i] = static_cast<float>(i);
  const std::pair<int, Tensor> inputs[] = {{net.blob("in0"), in}};
  const int out = net.blob("out");
  const Tensor r = net.run(inputs, std::span<const int>(&out, 1), CancelToken())[0];
  ASSERT_EQ(r.c, 1);
  // Channel 1 at the centre: relu(sum(w[9..17] * in) + b1) * 2.
  double sum = b[1];
  for (int i = 0; i < 9; ++i) sum += double(w[9 + i]) * i;
  EXPECT_NEAR(r.row(0, 1)[1], std::max(sum, 0.0) * 2, 1e-5);
}

TEST(RifeLoader, BinSizeErrorsNameExpectedAndActualBytes) {
  const auto bin = read_file_bytes(golden_dir() / "flownet.bin");
  ParamGraph g = parse_param(golden_param(), "flownet.param");
  expect_error([&] { load_weights(g, std::span(bin).first(bin.size() - 10), "flownet.bin"); },
               ErrorKind::Corrupt, {"truncated", "10614320", "10614310"});
  expect_error([&] { load_weights(g, std::span(bin).first(3), "flownet.bin"); }, ErrorKind::Corrupt,
               {"truncated", "convrelu_0"});
  auto longer = bin;
  longer.resize(bin.size() + 8);
  expect_error([&] { load_weights(g, longer, "flownet.bin"); }, ErrorKind::Corrupt, {"10614328", "10614320"});
}

TEST(RifeLoader, QuantisedTagsAreUnsupported) {
  ParamGraph g = parse_param(k_tiny, "tiny.param");
  auto int8 = as_bytes(std::vector<float>(8, 0.f), 0x000D4B38, true);
  expect_error([&] { load_weights(g, int8, "q.bin"); }, ErrorKind::Unsupported, {"int8", "conv"});
  auto table = as_bytes(std::vector<float>(300, 0.f), 0x01020304, true);
  expect_error([&] { load_weights(g, table, "q.bin"); }, ErrorKind::Unsupported, {"quantised", "0x01020304"});
}

TEST(RifeLoader, MalformedParamsGiveClearErrors) {
  expect_error([] { parse_param("7767518\n1 1\nInput in0 0 1 in0\n", "a.param"); }, ErrorKind::Corrupt,
               {"a.param", "7767517"});
  expect_error([] { parse_param("7767517\n1 1\nMagicLayer m 0 1 x\n", "b.param"); }, ErrorKind::Unsupported,
               {"line 3", "MagicLayer"});
  expect_error([] { parse_param("7767517\nx y\n", "c.param"); }, ErrorKind::Corrupt, {"line 2"});
  expect_error([] { parse_param("7767517\n2 2\nInput in0 0 1 in0\n", "d.param"); }, ErrorKind::Corrupt,
               {"1 layers", "declares 2"});
  expect_error([] { parse_param("7767517\n1 2\nSplit s 1 1 nowhere out\n", "e.param"); }, ErrorKind::Corrupt,
               {"line 3", "nowhere"});
  expect_error([] { parse_param("7767517\n1 1\nInput in0 0 1 in0 0=abc\n", "f.param"); }, ErrorKind::Corrupt,
               {"line 3", "0=abc"});
  expect_error([] { parse_param("7767517\n1 1\nInput in0 0 1 in0 -23310=3,1.0\n", "g.param"); },
               ErrorKind::Corrupt, {"line 3", "-23310"});
  expect_error([] { parse_param("7767517\n1 1\nInput in0 0\n", "h.param"); }, ErrorKind::Corrupt, {"line 3"});
  expect_error([] { parse_param("7767517\n2 2\nInput a 0 1 x\nInput b 0 1 x\n", "i.param"); },
               ErrorKind::Corrupt, {"line 4", "twice"});
  // Parameters the engine cannot run are caught when the net is built, naming the line.
  expect_error([] { Net(parse_param("7767517\n2 2\nInput a 0 1 x\nInterp i 1 1 x y 0=3\n", "j.param")); },
               ErrorKind::Unsupported, {"line 4", "resize_type 3"});
  expect_error(
      [] {
        Net(parse_param("7767517\n2 2\nInput a 0 1 x\nConvolution c 1 1 x y 0=2 1=3 6=17\n", "k.param"));
      },
      ErrorKind::Corrupt, {"line 4", "weight_data_size"});
}

TEST(RifeLoader, MissingFilesAreNotFound) {
  goesvfi::test::TempDir dir;
  expect_error([&] { RifeModel::load(dir.path()); }, ErrorKind::NotFound, {"flownet.param"});
  expect_error([&] { RifeModel::load(dir / "nope"); }, ErrorKind::NotFound, {"nope"});
}

// Random byte edits of the real param never crash: every outcome is a parsed graph or a goesvfi::Error.
TEST(RifeLoader, MutatedParamsNeverCrash) {
  const std::string base = golden_param();
  const auto bin = read_file_bytes(golden_dir() / "flownet.bin");
  std::mt19937 rng(1234);
  const char alphabet[] = "0123456789 -=,.e\nxConvolution";
  int errors = 0;
  for (int round = 0; round < 300; ++round) {
    std::string text = base;
    const int edits = 1 + static_cast<int>(rng() % 4);
    for (int e = 0; e < edits; ++e) {
      const std::size_t at = rng() % text.size();
      switch (rng() % 3) {
        case 0:
          text[at] = alphabet[rng() % (sizeof(alphabet) - 1)];
          break;
        case 1:
          text.erase(at, 1 + rng() % 20);
          break;
        default:
          text.insert(at, 1, alphabet[rng() % (sizeof(alphabet) - 1)]);
          break;
      }
    }
    try {
      ParamGraph g = parse_param(text, "mutated.param");
      load_weights(g, bin, "flownet.bin");
      Net net(std::move(g));
    } catch (const Error&) {
      ++errors;
    }
  }
  EXPECT_GT(errors, 100);  // most edits break something, and each was reported as an Error
}
