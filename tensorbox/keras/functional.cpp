#include "tensorbox/keras/functional.h"

#include <algorithm>
#include <map>
#include <set>
#include <unordered_map>

#include "tensorbox/keras/backend.h"
#include "tensorbox/keras/layers/input_layer.h"

namespace tb::keras {

using layers::KerasTensor;
using layers::LayerPtr;
using layers::Node;

namespace {

bool is_input_node(const Node& n) { return n.inputs.empty() && dynamic_cast<layers::InputLayer*>(n.layer.get()); }

// Keras counts a model's own construction as its node 0 when the model was built with inputs
// (a Functional, or a Sequential with an input shape): its calls inside another model are
// nodes 1, 2, ... in configs and summaries (Keras's _should_skip_first_node).
int first_node_offset(const layers::Layer& l) {
  const auto* m = dynamic_cast<const Model*>(&l);
  if (!m) return 0;
  if (dynamic_cast<const Functional*>(m)) return 1;
  const auto ls = m->layers();
  return !ls.empty() && ls.front()->batch_input_shape() ? 1 : 0;
}

}  // namespace

Functional::Functional(std::vector<KerasTensor> inputs, std::vector<KerasTensor> outputs, const FunctionalOptions& o)
    : Model("Functional", layers::BaseOptions{{}, o.name.empty() ? backend::unique_object_name("model") : o.name, true, ""}),
      inputs_(std::move(inputs)),
      outputs_(std::move(outputs)) {
  if (inputs_.empty()) throw ValueError("Model \"" + name() + "\": `inputs` must not be empty");
  if (outputs_.empty()) throw ValueError("Model \"" + name() + "\": `outputs` must not be empty");
  std::set<const Node*> input_nodes;
  for (const KerasTensor& k : inputs_) {
    if (!k.defined() || !is_input_node(*k.node()))
      throw ValueError("Model \"" + name() + "\": every input must come from keras.Input; got " +
                       (k.defined() ? "the output of layer \"" + k.layer()->name() + "\"" : std::string("None")));
    if (!input_nodes.insert(k.node().get()).second)
      throw ValueError("The list of inputs passed to the model contains the same input multiple times: \"" +
                       k.layer()->name() + "\"");
  }
  // Depth-first from the outputs: every node after its inputs; depth = longest path to an output.
  std::unordered_map<const Node*, int> depth;
  std::unordered_map<const Node*, int> order;  // discovery order, Keras's tie-break
  std::set<const Node*> done;
  std::vector<std::string> reached;
  std::function<void(const std::shared_ptr<const Node>&, int)> visit = [&](const std::shared_ptr<const Node>& n, int d) {
    const auto known = depth.find(n.get());
    if (known != depth.end() && known->second >= d) return;  // seen at this depth or deeper already
    depth[n.get()] = d;
    if (!order.count(n.get())) order[n.get()] = int(order.size());
    for (const KerasTensor& k : n->inputs) visit(k.node(), d + 1);
    if (n->inputs.empty() && !input_nodes.count(n.get()))
      throw ValueError("Graph disconnected: cannot obtain value for tensor of layer \"" + n->layer->name() +
                       "\". It is not one of the model's inputs. The following previous layers were accessed without "
                       "issue: [" + backend::join(reached) + "]");
    if (done.insert(n.get()).second) {
      nodes_.push_back(n);
      reached.push_back(n->layer->name());
    }
  };
  for (const KerasTensor& k : outputs_) {
    if (!k.defined()) throw ValueError("Model \"" + name() + "\": an output is None");
    visit(k.node(), 0);
  }
  for (const KerasTensor& k : inputs_)
    if (!done.count(k.node().get())) {  // an input nothing depends on is still part of the model
      nodes_.insert(nodes_.begin(), k.node());
      depth[k.node().get()] = 1 << 20;
      order[k.node().get()] = -1;
    }
  std::stable_sort(nodes_.begin(), nodes_.end(), [&](const auto& a, const auto& b) {
    return depth[a.get()] > depth[b.get()];  // deeper first keeps every node after its inputs
  });
  // Layers by depth (deepest = inputs first), ties in discovery order; each layer once.
  std::vector<std::pair<std::pair<int, int>, LayerPtr>> by_depth;
  std::map<const layers::Layer*, size_t> seen;
  for (const auto& n : nodes_) {
    const std::pair<int, int> key{-depth[n.get()], order[n.get()]};
    auto it = seen.find(n->layer.get());
    if (it == seen.end()) {
      seen[n->layer.get()] = by_depth.size();
      by_depth.push_back({key, n->layer});
    } else {
      by_depth[it->second].first = std::min(by_depth[it->second].first, key);
    }
  }
  std::stable_sort(by_depth.begin(), by_depth.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  for (auto& [key, l] : by_depth) layers_.push_back(l);
  // Keras requires unique layer names within a model (configs refer to layers by name).
  std::set<std::string> names;
  for (const auto& l : layers_)
    if (!names.insert(l->name()).second)
      throw ValueError("The name \"" + l->name() + "\" is used 2 times in the model. All layer names should be unique.");
  built_ = true;
}

template <class T, class F>
std::vector<T> Functional::run(const std::vector<T>& inputs, F&& f) const {
  if (inputs.size() != inputs_.size())
    throw ValueError("Layer \"" + name() + "\" expects " + std::to_string(inputs_.size()) + " input(s), but it received " +
                     std::to_string(inputs.size()) + " input tensors.");
  std::unordered_map<const Node*, std::vector<T>> values;
  for (size_t i = 0; i < inputs.size(); ++i) values[inputs_[i].node().get()] = {inputs[i]};
  for (const auto& n : nodes_) {
    if (n->inputs.empty()) continue;
    std::vector<T> args;
    for (const KerasTensor& k : n->inputs) args.push_back(values.at(k.node().get()).at(size_t(k.index())));
    values[n.get()] = f(*n, args);
  }
  std::vector<T> out;
  for (const KerasTensor& k : outputs_) out.push_back(values.at(k.node().get()).at(size_t(k.index())));
  return out;
}

std::vector<Tensor> Functional::call_list(const std::vector<Tensor>& inputs, bool training) {
  // Each input is checked against its keras.Input's shape, as Keras's input spec does.
  for (size_t i = 0; i < inputs.size() && i < inputs_.size(); ++i) (*inputs_[i].layer())(inputs[i], false);
  // Each value travels with its mask (Keras's _keras_mask; undefined = none).
  struct Masked {
    Tensor value, mask;
  };
  std::vector<Masked> in;
  for (const Tensor& x : inputs) in.push_back({x, Tensor()});
  const std::vector<Masked> out = run(in, [training](const Node& n, const std::vector<Masked>& args) {
    std::vector<Tensor> xs, masks;
    bool masked = false;
    for (const Masked& a : args) {
      xs.push_back(a.value);
      masks.push_back(a.mask);
      masked = masked || a.mask.defined();
    }
    const std::vector<Tensor> ys = !n.kwargs.empty() ? n.layer->call_kwargs(xs, training, masks, n.kwargs)
                                   : n.layer->takes_list()
                                       ? (*n.layer)(xs, training, masked ? masks : std::vector<Tensor>{})
                                       : std::vector<Tensor>{(*n.layer)(xs[0], training, masks[0])};
    const std::vector<Tensor> out_masks = n.layer->compute_masks(xs, masks);
    std::vector<Masked> r;
    for (size_t i = 0; i < ys.size(); ++i) r.push_back({ys[i], i < out_masks.size() ? out_masks[i] : Tensor()});
    return r;
  });
  std::vector<Tensor> values;
  last_output_masks_.clear();
  for (const Masked& m : out) {
    values.push_back(m.value);
    last_output_masks_.push_back(m.mask);
  }
  return values;
}

Tensor Functional::call(const Tensor& x, bool training) {
  const std::vector<Tensor> out = call_list({x}, training);
  if (out.size() != 1)
    throw ValueError("Model \"" + name() + "\" has " + std::to_string(out.size()) + " outputs; call it with a list");
  return out[0];
}

std::vector<Shape> Functional::compute_output_shapes(const std::vector<Shape>& shapes) const {
  return run(shapes, [](const Node& n, const std::vector<Shape>& args) { return n.layer->compute_output_shapes(args); });
}

Shape Functional::compute_output_shape(const Shape& s) const {
  const std::vector<Shape> out = compute_output_shapes({s});
  if (out.size() != 1) throw ValueError("Model \"" + name() + "\" has " + std::to_string(out.size()) + " outputs");
  return out[0];
}

std::vector<LayerPtr> Functional::layers() const { return layers_; }

std::vector<std::string> Functional::output_names() const {
  std::vector<std::string> out;
  for (const KerasTensor& k : outputs_) out.push_back(k.layer()->name());
  return out;
}

std::optional<Shape> Functional::model_input_shape() const { return inputs_[0].shape(); }

int Functional::node_index(const Node* node) const {
  int i = first_node_offset(*node->layer);
  for (const auto& n : nodes_) {
    if (n.get() == node) return i;
    if (n->layer == node->layer) ++i;
  }
  throw InternalError("node not in model \"" + name() + "\"");
}

Model::SummaryTable Functional::summary_table() const {
  // Keras prints a chain (one input per node, one node per depth) like a Sequential model.
  bool chain = inputs_.size() == 1 && outputs_.size() == 1;
  for (const auto& n : nodes_) chain = chain && n->inputs.size() <= 1;
  for (size_t i = 1; chain && i < nodes_.size(); ++i) chain = nodes_[i]->inputs[0].node() == nodes_[i - 1];
  SummaryTable t;
  t.header = {"Layer (type)", "Output Shape", "Param #"};
  t.positions = chain ? std::vector<int>{29, 55, 65} : std::vector<int>{32, 53, 65, 98};
  if (!chain) t.header.push_back("Connected to");
  for (const auto& l : layers_) {
    std::vector<std::string> shapes, connections;
    for (const auto& n : nodes_) {
      if (n->layer != l) continue;
      for (const Shape& s : n->output_shapes) shapes.push_back(s.to_string());
      for (const KerasTensor& k : n->inputs)
        connections.push_back("'" + k.layer()->name() + "[" + std::to_string(node_index(k.node().get())) + "][" +
                              std::to_string(k.index()) + "]'");
    }
    // Keras prints an InputLayer's output as a list, and "multiple" for a layer called at
    // several places with different output shapes.
    const bool differ = std::any_of(shapes.begin(), shapes.end(), [&](const auto& x) { return x != shapes[0]; });
    const bool list = dynamic_cast<layers::InputLayer*>(l.get()) != nullptr;
    const std::string shape = differ ? "multiple" : list ? "[" + shapes[0] + "]" : shapes[0];
    std::vector<std::string> row{l->name() + " (" + l->class_name() + ")", shape, std::to_string(l->count_params())};
    if (!chain) {
      std::string c = "[";
      for (size_t i = 0; i < connections.size(); ++i) c += (i ? ", " : "") + connections[i];
      row.push_back(c + "]");
    }
    t.rows.push_back(row);
  }
  return t;
}

nlohmann::ordered_json Functional::layer_config() const { return get_config(); }

nlohmann::ordered_json Functional::get_config() const {
  using json = nlohmann::ordered_json;
  json ls = json::array();
  for (const auto& l : layers_) {
    json inbound = json::array();
    for (const auto& n : nodes_) {
      if (n->layer != l || n->inputs.empty()) continue;
      // Keras's format: the positional inputs listed, tensor kwargs as references inside kwargs.
      auto ref = [&](const KerasTensor& k) {
        return json::array({k.layer()->name(), node_index(k.node().get()), k.index()});
      };
      json kwargs = n->kwargs;
      for (auto& [key, value] : kwargs.items())
        if (value.is_object() && value.contains("input")) value = ref(n->inputs.at(value["input"].get<size_t>()));
      const std::vector<size_t> named = layers::Layer::tensor_kwarg_inputs(n->kwargs);
      json node = json::array();
      for (size_t i = 0; i < n->inputs.size(); ++i) {
        if (std::find(named.begin(), named.end(), i) != named.end()) continue;
        json r = ref(n->inputs[i]);
        r.push_back(kwargs);
        node.push_back(r);
      }
      inbound.push_back(node);
    }
    const json s = l->serialize();
    ls.push_back({{"class_name", s["class_name"]}, {"config", s["config"]}, {"name", l->name()}, {"inbound_nodes", inbound}});
  }
  auto refs = [&](const std::vector<KerasTensor>& ks) {
    json out = json::array();
    for (const KerasTensor& k : ks) out.push_back(json::array({k.layer()->name(), node_index(k.node().get()), k.index()}));
    return out;
  };
  return {{"name", name()}, {"layers", ls}, {"input_layers", refs(inputs_)}, {"output_layers", refs(outputs_)}};
}

std::shared_ptr<Functional> Functional::from_config(const nlohmann::ordered_json& c) {
  if (!c.is_object() || !c.contains("layers") || !c.contains("input_layers") || !c.contains("output_layers"))
    throw ValueError("Functional config needs \"layers\", \"input_layers\" and \"output_layers\", got " + c.dump());
  std::map<std::string, LayerPtr> by_name;
  std::map<std::string, std::vector<std::vector<KerasTensor>>> produced;  // layer -> node -> outputs
  std::vector<std::pair<std::string, nlohmann::ordered_json>> pending;      // (layer, inbound node)
  for (const auto& entry : c["layers"]) {
    const std::string lname = entry.at("name").get<std::string>();
    LayerPtr l = layers::deserialize({{"class_name", entry.at("class_name")}, {"config", entry.at("config")}});
    by_name[lname] = l;
    if (auto* in = dynamic_cast<layers::InputLayer*>(l.get())) produced[lname].push_back({in->output()});
    for (const auto& node : entry.at("inbound_nodes")) pending.emplace_back(lname, node);
  }
  // Nodes are replayed once their inputs exist (a shared layer's later call may wait for
  // layers listed after it).
  for (bool progress = true; progress && !pending.empty();) {
    progress = false;
    for (auto it = pending.begin(); it != pending.end();) {
      std::vector<KerasTensor> args;
      bool ready = true;
      // Keras writes a call's kwargs into each input's reference; tensor-valued ones
      // (MultiHeadAttention's value and key) are more inputs, in that order.
      std::vector<nlohmann::ordered_json> refs(it->second.begin(), it->second.end());
      nlohmann::ordered_json kwargs = nlohmann::ordered_json::object();
      if (!refs.empty() && refs[0].size() > 3 && refs[0][3].is_object()) kwargs = refs[0][3];
      for (const char* key : {"value", "key"})
        if (kwargs.contains(key)) {
          refs.push_back(kwargs[key]);
          kwargs.erase(key);
        }
      for (auto& [key, value] : kwargs.items())
        if (value.is_array() && !value.empty() && value[0].is_string()) {  // another tensor argument
          refs.push_back(value);
          value = {{"input", refs.size() - 1}};
        }
      for (const auto& ref : refs) {
        const auto p = produced.find(ref.at(0).get<std::string>());
        const size_t ti = ref.at(2).get<size_t>();
        const auto l = by_name.find(ref.at(0).get<std::string>());
        const int64_t ni = ref.at(1).get<int64_t>() - (l == by_name.end() ? 0 : first_node_offset(*l->second));
        if (p == produced.end() || ni < 0 || int64_t(p->second.size()) <= ni) {
          ready = false;
          break;
        }
        args.push_back(p->second[size_t(ni)].at(ti));
      }
      if (!ready) {
        ++it;
        continue;
      }
      produced[it->first].push_back(by_name.at(it->first)->symbolic_call(args, kwargs));
      it = pending.erase(it);
      progress = true;
    }
  }
  if (!pending.empty()) throw ValueError("Functional config: the inputs of layer \"" + pending.front().first + "\" never appear");
  auto refs = [&](const nlohmann::ordered_json& list) {
    std::vector<KerasTensor> out;
    for (const auto& ref : list) {
      const auto p = produced.find(ref.at(0).get<std::string>());
      if (p == produced.end()) throw ValueError("Functional config refers to unknown layer " + ref.dump());
      const int64_t ni = ref.at(1).get<int64_t>() - first_node_offset(*by_name.at(p->first));
      if (ni < 0 || int64_t(p->second.size()) <= ni) throw ValueError("Functional config refers to a missing node " + ref.dump());
      out.push_back(p->second[size_t(ni)].at(ref.at(2).get<size_t>()));
    }
    return out;
  };
  return std::make_shared<Functional>(refs(c["input_layers"]), refs(c["output_layers"]),
                                      FunctionalOptions{c.value("name", "")});
}

TB_REGISTER_LAYER(Functional);

}  // namespace tb::keras
