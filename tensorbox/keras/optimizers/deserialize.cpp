#include "tensorbox/keras/optimizers/deserialize.h"

#include "tensorbox/keras/backend.h"
#include "tensorbox/keras/config_reader.h"
#include "tensorbox/keras/optimizers/adagrad.h"
#include "tensorbox/keras/optimizers/adam.h"
#include "tensorbox/keras/optimizers/loss_scale_optimizer.h"
#include "tensorbox/keras/optimizers/rmsprop.h"
#include "tensorbox/keras/optimizers/sgd.h"

namespace tb::keras::optimizers {

namespace {

using json = nlohmann::ordered_json;

LearningRate read_learning_rate(ConfigReader& r, LearningRate lr) {
  for (const char* key : {"learning_rate", "lr"}) {
    r.allow(key);
    if (!r.has(key)) continue;
    const json& v = r.at(key);
    lr = v.is_number() ? LearningRate(v.get<double>()) : LearningRate(deserialize_schedule(v));
  }
  return lr;
}

// Reads the fields every optimizer has (TB_OPTIMIZER_BASE_OPTIONS) and Keras's legacy `decay`.
template <class O>
void read_base(ConfigReader& r, O& o) {
  o.learning_rate = read_learning_rate(r, o.learning_rate);
  r.read("clipnorm", o.clipnorm);
  r.read("clipvalue", o.clipvalue);
  r.read("global_clipnorm", o.global_clipnorm);
  r.read("name", o.name);
  r.ignore("decay", 0.0);
}

}  // namespace

std::shared_ptr<schedules::LearningRateSchedule> deserialize_schedule(const json& j) {
  if (!j.is_object() || !j.contains("class_name"))
    throw TypeError("learning_rate must be a number or a serialized schedule, got " + j.dump());
  const std::string cls = j.at("class_name").get<std::string>();
  const json config = j.value("config", json::object());
  ConfigReader r(config, "schedule " + cls);
  r.allow("name");
  std::shared_ptr<schedules::LearningRateSchedule> s;
  if (cls == "ExponentialDecay") {
    double initial = 0, rate = 0;
    int64_t steps = 0;
    bool staircase = false;
    r.read("initial_learning_rate", initial);
    r.read("decay_steps", steps);
    r.read("decay_rate", rate);
    r.read("staircase", staircase);
    s = std::make_shared<schedules::ExponentialDecay>(initial, steps, rate, staircase);
  } else if (cls == "PiecewiseConstantDecay") {
    std::vector<int64_t> boundaries;
    std::vector<double> values;
    r.read("boundaries", boundaries);
    r.read("values", values);
    s = std::make_shared<schedules::PiecewiseConstantDecay>(boundaries, values);
  } else if (cls == "CosineDecay") {
    double initial = 0, alpha = 0;
    int64_t steps = 0;
    r.read("initial_learning_rate", initial);
    r.read("decay_steps", steps);
    r.read("alpha", alpha);
    s = std::make_shared<schedules::CosineDecay>(initial, steps, alpha);
  } else {
    throw ValueError("Unknown learning rate schedule: '" + cls +
                     "'. Valid: ExponentialDecay, PiecewiseConstantDecay, CosineDecay");
  }
  r.finish();
  return s;
}

std::shared_ptr<Optimizer> deserialize(const json& j) {
  if (j.is_string()) return Optimizer::get(j.get<std::string>());
  if (!j.is_object() || !j.contains("class_name"))
    throw TypeError("optimizer config must be a name or {\"class_name\", \"config\"}, got " + j.dump());
  const std::string cls = j.at("class_name").get<std::string>();
  const json config = j.value("config", json::object());
  ConfigReader r(config, "optimizer " + cls);
  const std::string n = backend::to_snake_case(cls);
  std::shared_ptr<Optimizer> opt;
  if (n == "adam") {
    AdamOptions o;
    read_base(r, o);
    r.read("beta_1", o.beta_1);
    r.read("beta_2", o.beta_2);
    r.read("epsilon", o.epsilon);
    r.read("amsgrad", o.amsgrad);
    opt = std::make_shared<Adam>(o);
  } else if (n == "adam_w" || n == "adamw") {
    AdamWOptions o;
    read_base(r, o);
    r.read("weight_decay", o.weight_decay);
    r.read("beta_1", o.beta_1);
    r.read("beta_2", o.beta_2);
    r.read("epsilon", o.epsilon);
    r.read("amsgrad", o.amsgrad);
    opt = std::make_shared<AdamW>(o);
  } else if (n == "sgd") {
    SGDOptions o;
    read_base(r, o);
    r.read("momentum", o.momentum);
    r.read("nesterov", o.nesterov);
    opt = std::make_shared<SGD>(o);
  } else if (n == "rmsprop" || n == "r_m_sprop" || n == "rm_sprop") {
    RMSpropOptions o;
    read_base(r, o);
    r.read("rho", o.rho);
    r.read("momentum", o.momentum);
    r.read("epsilon", o.epsilon);
    r.read("centered", o.centered);
    opt = std::make_shared<RMSprop>(o);
  } else if (n == "adagrad") {
    AdagradOptions o;
    read_base(r, o);
    r.read("initial_accumulator_value", o.initial_accumulator_value);
    r.read("epsilon", o.epsilon);
    opt = std::make_shared<Adagrad>(o);
  } else if (cls == "LossScaleOptimizer" || cls == "LossScaleOptimizerV3") {
    if (!r.has("inner_optimizer")) throw TypeError("optimizer LossScaleOptimizer: `inner_optimizer` is required");
    LossScaleOptions o;
    r.read("dynamic", o.dynamic);
    r.read("initial_scale", o.initial_scale);
    r.read("dynamic_growth_steps", o.dynamic_growth_steps);
    opt = std::make_shared<LossScaleOptimizer>(deserialize(r.at("inner_optimizer")), o);
  } else {
    throw ValueError("Could not interpret optimizer identifier: '" + cls +
                     "'. Valid optimizers: adam, adamw, sgd, rmsprop, adagrad");
  }
  r.finish();
  return opt;
}

}  // namespace tb::keras::optimizers
