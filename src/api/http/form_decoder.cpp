#include "api/http/form_decoder.hpp"

#include <boost/json/array.hpp>
#include <boost/json/string.hpp>
#include <boost/url/pct_string_view.hpp>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "api/api_error.hpp"

namespace hookline::api {

namespace {

constexpr std::size_t kMaxNameInMessage = 200;

struct StringHash {
  using is_transparent = void;
  std::size_t operator()(std::string_view text) const {
    return std::hash<std::string_view>{}(text);
  }
};

// The tree the pairs are decoded into before it becomes JSON: arrays are kept
// by index so that indices may come in any order.
struct Node {
  enum class Kind : uint8_t { kNew, kString, kHash, kArray };
  Kind kind = Kind::kNew;
  std::string text;
  std::vector<std::pair<std::string, std::unique_ptr<Node>>> hash;  // insertion order
  std::unordered_map<std::string, std::size_t, StringHash, std::equal_to<>> hash_index;
  std::map<uint64_t, std::unique_ptr<Node>> array;
};

const char* describe(Node::Kind kind) {
  switch (kind) {
    case Node::Kind::kString:
      return "a string";
    case Node::Kind::kHash:
      return "a hash";
    case Node::Kind::kArray:
      return "an array";
    case Node::Kind::kNew:
      break;
  }
  return "nothing";
}

std::string shorten(std::string_view name) {
  if (name.size() <= kMaxNameInMessage) return std::string(name);
  return std::string(name.substr(0, kMaxNameInMessage)) + "...";
}

[[noreturn]] void conflict(const std::string& path, Node::Kind given, Node::Kind wanted) {
  throw ApiError::invalid_request("Invalid value for " + shorten(path) + ": it is given both as " +
                                      describe(given) + " and as " + describe(wanted) + ".",
                                  shorten(path));
}

bool valid_utf8(std::string_view text) {
  std::size_t i = 0;
  while (i < text.size()) {
    const auto lead = static_cast<unsigned char>(text[i]);
    std::size_t length = 0;
    uint32_t code_point = 0;
    if (lead < 0x80) {
      ++i;
      continue;
    } else if ((lead & 0xE0) == 0xC0) {
      length = 2;
      code_point = lead & 0x1F;
    } else if ((lead & 0xF0) == 0xE0) {
      length = 3;
      code_point = lead & 0x0F;
    } else if ((lead & 0xF8) == 0xF0) {
      length = 4;
      code_point = lead & 0x07;
    } else {
      return false;
    }
    if (i + length > text.size()) return false;
    for (std::size_t k = 1; k < length; ++k) {
      const auto next = static_cast<unsigned char>(text[i + k]);
      if ((next & 0xC0) != 0x80) return false;
      code_point = (code_point << 6) | (next & 0x3F);
    }
    // Overlong forms, UTF-16 surrogates and code points past U+10FFFF.
    static constexpr uint32_t kMinimum[] = {0, 0, 0x80, 0x800, 0x10000};
    if (code_point < kMinimum[length] || code_point > 0x10FFFF ||
        (code_point >= 0xD800 && code_point <= 0xDFFF)) {
      return false;
    }
    i += length;
  }
  return true;
}

// Percent-decodes `raw` ('+' is a space) into `out`; false if malformed.
bool percent_decode(std::string_view raw, std::string& out) {
  const auto encoded = boost::urls::make_pct_string_view(raw);
  if (!encoded) return false;
  boost::urls::encoding_opts options;
  options.space_as_plus = true;
  encoded->decode(options, boost::urls::string_token::assign_to(out));
  return valid_utf8(out);
}

// "0", "7", "42": an array index. Leading zeros make a hash key.
bool parse_index(std::string_view segment, uint64_t& index) {
  if (segment.empty() || segment.size() > 9) return false;
  if (segment.size() > 1 && segment[0] == '0') return false;
  index = 0;
  for (char c : segment) {
    if (c < '0' || c > '9') return false;
    index = index * 10 + static_cast<uint64_t>(c - '0');
  }
  return true;
}

// Splits "a[b][]" into {"a", "b", ""}; false if it is not bracket notation.
bool split_name(std::string_view name, std::vector<std::string_view>& segments) {
  segments.clear();
  const std::size_t open = name.find('[');
  const std::string_view base = name.substr(0, open);
  if (base.empty() || base.find(']') != std::string_view::npos) return false;
  segments.push_back(base);
  std::size_t at = open;
  while (at != std::string_view::npos && at < name.size()) {
    if (name[at] != '[') return false;
    const std::size_t close = name.find_first_of("[]", at + 1);
    if (close == std::string_view::npos || name[close] != ']') return false;
    segments.push_back(name.substr(at + 1, close - at - 1));
    at = close + 1;
  }
  return true;
}

Node* find_key(const Node& hash, std::string_view key) {
  auto it = hash.hash_index.find(key);
  return it == hash.hash_index.end() ? nullptr : hash.hash[it->second].second.get();
}

Node& key_child(Node& hash, std::string_view key) {
  if (Node* found = find_key(hash, key)) return *found;
  hash.hash_index.emplace(std::string(key), hash.hash.size());
  hash.hash.emplace_back(std::string(key), std::make_unique<Node>());
  return *hash.hash.back().second;
}

Node& index_child(Node& array, uint64_t index) {
  std::unique_ptr<Node>& child = array.array[index];
  if (!child) child = std::make_unique<Node>();
  return *child;
}

Node& pushed_child(Node& array) {
  const uint64_t next = array.array.empty() ? 0 : array.array.rbegin()->first + 1;
  return index_child(array, next);
}

// An array given a non-numeric key becomes a hash keyed by its indices.
void array_to_hash(Node& node) {
  for (auto& [index, child] : node.array) {
    node.hash_index.emplace(std::to_string(index), node.hash.size());
    node.hash.emplace_back(std::to_string(index), std::move(child));
  }
  node.array.clear();
  node.kind = Node::Kind::kHash;
}

void make_container(Node& node, Node::Kind kind, const std::string& path) {
  if (node.kind == Node::Kind::kNew) node.kind = kind;
  if (node.kind != kind) conflict(path, node.kind, kind);
}

// Whether `node` already holds a value at `segments` (Rack's rule for
// a[][b]=…: a pushed hash is reused until the key repeats).
bool holds_path(const Node& node, const std::vector<std::string_view>& segments, std::size_t from) {
  const Node* at = &node;
  for (std::size_t i = from; i < segments.size(); ++i) {
    if (segments[i].empty()) return false;
    uint64_t index = 0;
    if (at->kind == Node::Kind::kArray && parse_index(segments[i], index)) {
      auto it = at->array.find(index);
      if (it == at->array.end()) return false;
      at = it->second.get();
    } else if (at->kind == Node::Kind::kHash) {
      at = find_key(*at, segments[i]);
      if (at == nullptr) return false;
    } else {
      return false;
    }
  }
  return true;
}

class FormTree {
 public:
  explicit FormTree(const FormLimits& limits) : limits_(limits) { root_.kind = Node::Kind::kHash; }

  void add_all(std::string_view encoded) {
    std::size_t start = 0;
    while (start <= encoded.size()) {
      std::size_t end = encoded.find('&', start);
      if (end == std::string_view::npos) end = encoded.size();
      if (end > start) add_pair(encoded.substr(start, end - start));
      start = end + 1;
    }
  }

  boost::json::object to_json() { return std::move(convert(root_).as_object()); }

 private:
  void add_pair(std::string_view pair) {
    if (++pairs_ > limits_.max_pairs) {
      throw ApiError::invalid_request("Too many parameters: at most " +
                                      std::to_string(limits_.max_pairs) +
                                      " are accepted in one request.");
    }
    const std::size_t equals = pair.find('=');
    const std::string_view raw_name = pair.substr(0, equals);
    const std::string_view raw_value =
        equals == std::string_view::npos ? std::string_view() : pair.substr(equals + 1);
    if (!percent_decode(raw_name, name_)) {
      throw ApiError::invalid_request(
          "Invalid encoding in parameter name '" + shorten(raw_name) +
              "': use percent-encoding (%XX) of UTF-8 bytes.",
          shorten(raw_name));
    }
    if (!split_name(name_, segments_)) {
      throw ApiError::invalid_request("Invalid parameter name '" + shorten(name_) +
                                          "': use bracket notation such as a[b][c] or a[].",
                                      shorten(name_));
    }
    if (segments_.size() > limits_.max_depth) {
      throw ApiError::invalid_request("Parameter '" + shorten(name_) + "' is nested deeper than " +
                                          std::to_string(limits_.max_depth) + " levels.",
                                      shorten(name_));
    }
    if (!percent_decode(raw_value, value_)) {
      throw ApiError::invalid_request("Invalid encoding in the value of parameter '" +
                                          shorten(name_) +
                                          "': use percent-encoding (%XX) of UTF-8 bytes.",
                                      shorten(name_));
    }
    Node& leaf = walk();
    if (leaf.kind == Node::Kind::kHash || leaf.kind == Node::Kind::kArray) {
      conflict(path_, leaf.kind, Node::Kind::kString);
    }
    leaf.kind = Node::Kind::kString;
    leaf.text = value_;
  }

  // Finds or makes the node that segments_ name; path_ ends as its name.
  Node& walk() {
    path_.assign(segments_[0]);
    Node* node = &key_child(root_, segments_[0]);
    for (std::size_t i = 1; i < segments_.size(); ++i) {
      const std::string_view segment = segments_[i];
      uint64_t index = 0;
      Node* child = nullptr;
      if (segment.empty()) {
        make_container(*node, Node::Kind::kArray, path_);
        Node* last = node->array.empty() ? nullptr : node->array.rbegin()->second.get();
        const bool reuse_last = i + 1 < segments_.size() && last != nullptr &&
                                last->kind == Node::Kind::kHash &&
                                !holds_path(*last, segments_, i + 1);
        child = reuse_last ? last : &pushed_child(*node);
      } else if (node->kind != Node::Kind::kHash && parse_index(segment, index)) {
        make_container(*node, Node::Kind::kArray, path_);
        child = &index_child(*node, index);
      } else {
        if (node->kind == Node::Kind::kArray) array_to_hash(*node);
        make_container(*node, Node::Kind::kHash, path_);
        child = &key_child(*node, segment);
      }
      path_.append("[").append(segment).append("]");
      node = child;
    }
    return *node;
  }

  static boost::json::value convert(Node& node) {
    switch (node.kind) {
      case Node::Kind::kHash: {
        boost::json::object object;
        object.reserve(node.hash.size());
        for (auto& [key, child] : node.hash) object.emplace(key, convert(*child));
        return object;
      }
      case Node::Kind::kArray: {
        boost::json::array array;
        array.reserve(node.array.size());
        for (auto& [index, child] : node.array) array.push_back(convert(*child));
        return array;
      }
      case Node::Kind::kString:
        return boost::json::string(node.text);
      case Node::Kind::kNew:
        break;
    }
    return boost::json::string();
  }

  const FormLimits& limits_;
  Node root_;
  std::size_t pairs_ = 0;
  // Reused from pair to pair.
  std::string name_;
  std::string value_;
  std::string path_;
  std::vector<std::string_view> segments_;
};

}  // namespace

boost::json::object decode_form(std::string_view encoded, const FormLimits& limits) {
  return decode_forms({encoded}, limits);
}

boost::json::object decode_forms(std::initializer_list<std::string_view> encoded,
                                 const FormLimits& limits) {
  FormTree tree(limits);
  for (std::string_view part : encoded) tree.add_all(part);
  return tree.to_json();
}

}  // namespace hookline::api
