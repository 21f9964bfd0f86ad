// Builds optimizers and learning-rate schedules from Keras configs, the form the Python
// front end and saved models use: {"class_name": "Adam", "config": {"learning_rate": 0.01}}
// or a bare name ("adam"). Keys follow Keras 2.9 (`lr` is accepted as `learning_rate`);
// an unknown key is a TypeError naming it.
//
//   auto opt = tb::keras::optimizers::deserialize({{"class_name", "SGD"}, {"config", {{"momentum", 0.9}}}});
#pragma once
#include <memory>

#include <nlohmann/json.hpp>

#include "tensorbox/keras/optimizers/optimizer.h"

namespace tb::keras::optimizers {

std::shared_ptr<Optimizer> deserialize(const nlohmann::ordered_json& config);
std::shared_ptr<schedules::LearningRateSchedule> deserialize_schedule(const nlohmann::ordered_json& config);

}  // namespace tb::keras::optimizers
