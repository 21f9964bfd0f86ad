// Image resizing as Keras's preprocessing does it (tf.image.resize with half-pixel centers):
// resize_images for "bilinear" and "nearest", smart_resize (center crop to the target's aspect
// ratio, then resize), and the Resizing layer. Resizing is linear in the image, so it runs as
// two matmuls with [out, in] interpolation matrices (rows, then columns): the tape gives the
// gradient and no extra kernel is needed.
//
//   Resizing r(64, 64, {.interpolation = "bilinear", .crop_to_aspect_ratio = true});
//   Tensor small = resize_images(images, 14, 14, "nearest", "my_layer");
#pragma once

#include "tensorbox/keras/layers/layer.h"

namespace tb::keras::layers {

// x: [batch, height, width, channels] or [height, width, channels]; `layer` names the caller
// in errors (UnimplementedError for an interpolation other than bilinear/nearest).
Tensor resize_images(const Tensor& x, int64_t height, int64_t width, const std::string& interpolation,
                     const std::string& layer);
// keras.preprocessing.image.smart_resize: the largest centered crop with the target's aspect
// ratio, resized to [height, width].
Tensor smart_resize(const Tensor& x, int64_t height, int64_t width, const std::string& interpolation,
                    const std::string& layer);

struct ResizingOptions {
  std::string interpolation = "bilinear";  // or "nearest"
  bool crop_to_aspect_ratio = false;
  TB_LAYER_BASE_OPTIONS;
};

class Resizing : public Layer {
 public:
  Resizing(int64_t height, int64_t width, const ResizingOptions& options = {});
  Tensor call(const Tensor& inputs, bool training) override;
  Shape compute_output_shape(const Shape& s) const override;
  nlohmann::ordered_json layer_config() const override;
  static std::shared_ptr<Resizing> from_config(const nlohmann::ordered_json& config);

 private:
  int64_t height_, width_;
  ResizingOptions options_;
};

}  // namespace tb::keras::layers
