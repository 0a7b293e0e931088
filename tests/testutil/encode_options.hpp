// Checks that EncodeOptions hold the values of a config's encode.* keys and interpolate.fps, field by field
// (used by the option-default tests of encode and pipeline).
#pragma once

#include <gtest/gtest.h>

#include "core/config.hpp"
#include "encode/encoder.hpp"

namespace goesvfi::test {

inline void expect_encode_options(const EncodeOptions& o, const Config& c) {
  EXPECT_EQ(o.codec, c.get_string("encode.codec"));
  EXPECT_EQ(o.crf, c.get_int("encode.crf"));
  EXPECT_EQ(o.preset, c.get_string("encode.preset"));
  EXPECT_EQ(o.tune, c.get_string("encode.tune"));
  EXPECT_EQ(o.pix_fmt, c.get_string("encode.pix_fmt"));
  EXPECT_EQ(o.bitrate, c.get_string("encode.bitrate"));
  EXPECT_EQ(o.maxrate, c.get_string("encode.maxrate"));
  EXPECT_EQ(o.bufsize, c.get_string("encode.bufsize"));
  EXPECT_EQ(o.gop, c.get_int("encode.gop"));
  EXPECT_EQ(o.faststart, c.get_bool("encode.faststart"));
  EXPECT_EQ(o.filters, c.get_string("encode.filters"));
  EXPECT_EQ(o.fps, c.get_float("interpolate.fps"));
}

}  // namespace goesvfi::test
