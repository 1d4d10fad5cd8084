#pragma once

namespace fbpinn
{
  /** The version of fbpinn, written into every metrics.json. */
  inline constexpr const char *version = "0.1.0";
} // namespace fbpinn
