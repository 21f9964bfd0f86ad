// Layers that move or repeat elements without learning anything (Keras's reshaping layers):
//   ZeroPadding2D  zeros around the spatial axes: padding ((top, bottom), (left, right))
//   Cropping2D     the reverse: drops ((top, bottom), (left, right)) rows/columns
//   UpSampling2D   repeats each row `size[0]` and each column `size[1]` times ("nearest"), or
//                  resizes bilinearly ("bilinear", tf.image.resize's half-pixel centers)
//   RepeatVector   [N, F] -> [N, n, F]
//   Permute        reorders the non-batch axes (`dims` counts from 1, as in Keras)
// The spatial layers take data_format channels_last (default) or channels_first.
//
//   ZeroPadding2D p({.padding = {{1, 1}, {2, 2}}});
#pragma once

#include <array>

#include "tensorbox/keras/layers/layer.h"

namespace tb::keras::layers {

using Pairs2D = std::array<std::array<int64_t, 2>, 2>;

struct SpatialPairsOptions {
  Pairs2D pairs{{{1, 1}, {1, 1}}};  // ((top, bottom), (left, right))
  std::string data_format = "channels_last";
  TB_LAYER_BASE_OPTIONS;
};

// ZeroPadding2D and Cropping2D share their argument and shape rule.
class SpatialPairs : public Layer {
 public:
  SpatialPairs(const std::string& class_name, const SpatialPairsOptions& options, bool crop);
  Tensor call(const Tensor& inputs, bool training) override;
  Shape compute_output_shape(const Shape& s) const override;
  nlohmann::ordered_json layer_config() const override;

 protected:
  static SpatialPairsOptions options_from_config(const nlohmann::ordered_json& c, const std::string& class_name,
                                                 const char* key, Pairs2D fallback);

 private:
  int64_t height_axis(int64_t rank) const { return options_.data_format == "channels_last" ? rank - 3 : rank - 2; }
  SpatialPairsOptions options_;
  bool crop_;
};

class ZeroPadding2D : public SpatialPairs {
 public:
  explicit ZeroPadding2D(const SpatialPairsOptions& o = {}) : SpatialPairs("ZeroPadding2D", o, false) {}
  static std::shared_ptr<ZeroPadding2D> from_config(const nlohmann::ordered_json& c) {
    return std::make_shared<ZeroPadding2D>(options_from_config(c, "ZeroPadding2D", "padding", {{{1, 1}, {1, 1}}}));
  }
};

class Cropping2D : public SpatialPairs {
 public:
  explicit Cropping2D(const SpatialPairsOptions& o = {.pairs = {{{0, 0}, {0, 0}}}}) : SpatialPairs("Cropping2D", o, true) {}
  static std::shared_ptr<Cropping2D> from_config(const nlohmann::ordered_json& c) {
    return std::make_shared<Cropping2D>(options_from_config(c, "Cropping2D", "cropping", {{{0, 0}, {0, 0}}}));
  }
};

struct UpSampling2DOptions {
  std::vector<int64_t> size{2, 2};
  std::string data_format = "channels_last";
  std::string interpolation = "nearest";
  TB_LAYER_BASE_OPTIONS;
};

class UpSampling2D : public Layer {
 public:
  explicit UpSampling2D(const UpSampling2DOptions& options = {});
  Tensor call(const Tensor& inputs, bool training) override;
  Shape compute_output_shape(const Shape& s) const override;
  nlohmann::ordered_json layer_config() const override;
  static std::shared_ptr<UpSampling2D> from_config(const nlohmann::ordered_json& c);

 private:
  UpSampling2DOptions options_;
};

struct RepeatVectorOptions {
  TB_LAYER_BASE_OPTIONS;
};

class RepeatVector : public Layer {
 public:
  explicit RepeatVector(int64_t n, const RepeatVectorOptions& options = {});
  Tensor call(const Tensor& inputs, bool training) override;
  Shape compute_output_shape(const Shape& s) const override;
  nlohmann::ordered_json layer_config() const override { return {{"n", n_}}; }
  static std::shared_ptr<RepeatVector> from_config(const nlohmann::ordered_json& c);

 private:
  int64_t n_;
};

struct PermuteOptions {
  TB_LAYER_BASE_OPTIONS;
};

class Permute : public Layer {
 public:
  explicit Permute(std::vector<int64_t> dims, const PermuteOptions& options = {});
  Tensor call(const Tensor& inputs, bool training) override;
  Shape compute_output_shape(const Shape& s) const override;
  nlohmann::ordered_json layer_config() const override { return {{"dims", dims_}}; }
  static std::shared_ptr<Permute> from_config(const nlohmann::ordered_json& c);

 private:
  std::vector<int64_t> dims_;
};

}  // namespace tb::keras::layers
