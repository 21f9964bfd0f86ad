#include "tensorbox/keras/layers/image_resizing.h"

#include <algorithm>
#include <cmath>

#include "tensorbox/keras/layers/layer_utils.h"
#include "tensorbox/ops/array_ops.h"
#include "tensorbox/ops/math_ops.h"
#include "tensorbox/ops/nn_ops.h"

namespace tb::keras::layers {

namespace {
// Row o of the [out, in] matrix holds the weights of the input pixels output pixel o reads
// (TensorFlow's half-pixel-center rules for bilinear and nearest).
Tensor interpolation_matrix(int64_t out, int64_t in, bool bilinear, DType dtype) {
  Tensor m = Tensor::zeros({out, in}, DType::float64);
  double* p = m.data<double>();
  const double scale = double(in) / double(out);
  for (int64_t o = 0; o < out; ++o) {
    if (bilinear) {
      const double src = (double(o) + 0.5) * scale - 0.5;
      const double f = std::floor(src);
      const int64_t lower = std::max<int64_t>(int64_t(f), 0), upper = std::min<int64_t>(int64_t(std::ceil(src)), in - 1);
      const double lerp = src - f;
      p[o * in + lower] += 1.0 - lerp;
      p[o * in + upper] += lerp;
    } else {
      p[o * in + std::min<int64_t>(int64_t(std::floor((double(o) + 0.5) * scale)), in - 1)] = 1.0;
    }
  }
  return ops::cast(m, dtype);
}

void check_images(const Tensor& x, const std::string& layer) {
  if (x.rank() != 3 && x.rank() != 4)
    throw ValueError("Layer \"" + layer + "\" expects images [batch, height, width, channels] or [height, width, "
                     "channels], got shape " + x.shape().to_string());
}
}  // namespace

Tensor resize_images(const Tensor& images, int64_t height, int64_t width, const std::string& interpolation,
                     const std::string& layer) {
  check_images(images, layer);
  if (interpolation != "bilinear" && interpolation != "nearest")
    throw UnimplementedError("Layer \"" + layer + "\": interpolation \"" + interpolation +
                             "\" is not supported by tensorbox (bilinear and nearest are)");
  if (height <= 0 || width <= 0)
    throw ValueError("Layer \"" + layer + "\": the target size must be positive, got " + std::to_string(height) + "x" +
                     std::to_string(width));
  const Tensor x = images.rank() == 3 ? ops::expand_dims(images, 0) : images;
  const int64_t n = x.dim(0), h = x.dim(1), w = x.dim(2), c = x.dim(3);
  const bool bilinear = interpolation == "bilinear";
  // Rows: [height, h] @ [n, h, w * c]; columns: [width, w] @ [n * height, w, c].
  Tensor y = ops::matmul(interpolation_matrix(height, h, bilinear, x.dtype()), ops::reshape(x, {n, h, w * c}));
  y = ops::matmul(interpolation_matrix(width, w, bilinear, x.dtype()), ops::reshape(y, {n * height, w, c}));
  y = ops::reshape(y, {n, height, width, c});
  return images.rank() == 3 ? ops::squeeze(y, {0}) : y;
}

Tensor smart_resize(const Tensor& images, int64_t height, int64_t width, const std::string& interpolation,
                    const std::string& layer) {
  check_images(images, layer);
  const int64_t ax = images.rank() - 3, h = images.dim(ax), w = images.dim(ax + 1);
  // Keras computes the crop in float32 and truncates.
  const int64_t crop_h = std::min(h, int64_t(float(w * height) / float(width)));
  const int64_t crop_w = std::min(w, int64_t(float(h * width) / float(height)));
  std::vector<int64_t> begin(size_t(images.rank()), 0), size = images.shape().dims();
  begin[size_t(ax)] = int64_t(float(h - crop_h) / 2);
  begin[size_t(ax + 1)] = int64_t(float(w - crop_w) / 2);
  size[size_t(ax)] = crop_h;
  size[size_t(ax + 1)] = crop_w;
  return resize_images(ops::slice(images, begin, size), height, width, interpolation, layer);
}

Resizing::Resizing(int64_t height, int64_t width, const ResizingOptions& o)
    : Layer("Resizing", base_options(o)), height_(height), width_(width), options_(o) {
  if (height <= 0 || width <= 0)
    throw ValueError("Layer " + name() + ": `height` and `width` must be positive, got " + std::to_string(height) +
                     " and " + std::to_string(width));
  if (o.interpolation != "bilinear" && o.interpolation != "nearest")
    throw UnimplementedError("Layer " + name() + ": interpolation \"" + o.interpolation +
                             "\" is not supported by tensorbox (bilinear and nearest are)");
}

Tensor Resizing::call(const Tensor& inputs, bool) {
  const Tensor x = inputs.dtype() == compute_dtype() ? inputs : ops::cast(inputs, compute_dtype());
  return options_.crop_to_aspect_ratio ? smart_resize(x, height_, width_, options_.interpolation, name())
                                       : resize_images(x, height_, width_, options_.interpolation, name());
}

Shape Resizing::compute_output_shape(const Shape& s) const {
  if (s.rank() != 3 && s.rank() != 4)
    throw ValueError("Layer \"" + name() + "\" expects images [batch, height, width, channels] or [height, width, "
                     "channels], got shape " + s.to_string());
  std::vector<int64_t> d = s.dims();
  d[size_t(s.rank() - 3)] = height_;
  d[size_t(s.rank() - 2)] = width_;
  return Shape(d);
}

nlohmann::ordered_json Resizing::layer_config() const {
  return {{"height", height_},
          {"width", width_},
          {"interpolation", options_.interpolation},
          {"crop_to_aspect_ratio", options_.crop_to_aspect_ratio}};
}

std::shared_ptr<Resizing> Resizing::from_config(const nlohmann::ordered_json& c) {
  ConfigReader r(c, "layer Resizing");
  const BaseOptions b = read_base_options(r, c);
  ResizingOptions o{.input_shape = b.input_shape, .name = b.name, .trainable = b.trainable, .dtype = b.dtype};
  int64_t h = 0, w = 0;
  r.read("height", h);
  r.read("width", w);
  r.read("interpolation", o.interpolation);
  r.read("crop_to_aspect_ratio", o.crop_to_aspect_ratio);
  r.finish();
  return std::make_shared<Resizing>(h, w, o);
}

TB_REGISTER_LAYER(Resizing);

}  // namespace tb::keras::layers
