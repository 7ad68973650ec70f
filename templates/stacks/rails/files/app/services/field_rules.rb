# The rules of a resource's fields (type, required, length, pattern, bounds).
# A request's JSON is checked against them before anything is cast, so a
# value of the wrong type is a 422 instead of being coerced; the OpenAPI
# document turns the same rules into JSON Schema.
module FieldRules
  # A decimal's integer part: 12 digits in all, 2 after the point.
  DECIMAL_DIGITS = 10

  module_function

  # [attributes, errors] from a request's JSON object. Every required field
  # must be present when `create`; a field that is sent is always checked.
  def check(fields, input, create:)
    attributes = {}
    errors = {}
    fields.each do |name, rules|
      key = name.to_s
      unless input.key?(key)
        errors[name] = ["is required"] if create && rules[:required]
        next
      end
      message = problem(input[key], rules)
      if message
        errors[name] = [message]
      else
        attributes[name] = input[key]
      end
    end
    [attributes, errors]
  end

  # What is wrong with one value, or nil when it is valid.
  def problem(value, rules)
    return (rules[:required] ? "must not be null" : nil) if value.nil?

    case rules[:type]
    when :string, :text then string_problem(value, rules)
    when :integer then number_problem(value, rules, integer: true)
    when :decimal then number_problem(value, rules, integer: false)
    else "must be true or false" unless [true, false].include?(value)
    end
  end

  def string_problem(value, rules)
    return "must be a string" unless value.is_a?(String)
    return "must be UTF-8 text without NUL characters" if !value.valid_encoding? || value.include?("\u0000")
    unless value.length.between?(rules[:min_length], rules[:max_length])
      return "must be #{rules[:min_length]} to #{rules[:max_length]} characters long"
    end

    "must match #{rules[:pattern]}" if rules[:pattern] && !regexp(rules[:pattern]).match?(value)
  end

  def number_problem(value, rules, integer:)
    number = integer ? integer_value(value) : decimal_value(value)
    return integer ? "must be an integer" : "must be a number with at most 2 decimals" if number.nil?
    return "must be at least #{rules[:minimum]}" if number < BigDecimal(rules[:minimum])

    "must be at most #{rules[:maximum]}" if number > BigDecimal(rules[:maximum])
  end

  def integer_value(value)
    return value if value.is_a?(Integer)

    value.to_i if value.is_a?(Float) && value.finite? && value == value.floor
  end

  # JSON numbers, and strings such as "19.99" (decimal_pattern).
  def decimal_value(value)
    case value
    when Integer then value
    when Float then value.finite? ? BigDecimal(value.to_s) : nil
    when String then BigDecimal(value) if value.match?(/\A-?[0-9]{1,#{DECIMAL_DIGITS}}(\.[0-9]{1,2})?\z/)
    end
  end

  # Ruby anchors for a JSON Schema pattern ("^...$" becomes \A(?:...)\z).
  def regexp(pattern)
    @regexps ||= {}
    @regexps[pattern] ||= Regexp.new("\\A(?:#{pattern.delete_prefix("^").delete_suffix("$")})\\z")
  end

  # The JSON Schema of one field. In a request (`input`) a decimal is a number
  # or a string such as "19.99"; in a response it is always such a string.
  def schema(rules, input:)
    schema = base_schema(rules, input: input)
    return schema if rules[:required]

    { "anyOf" => [schema, { "type" => "null" }] }
  end

  def base_schema(rules, input:)
    case rules[:type]
    when :string, :text
      { "type" => "string", "minLength" => rules[:min_length], "maxLength" => rules[:max_length],
        "pattern" => rules[:pattern] || "^[^\\u0000]*$" }
    when :integer
      { "type" => "integer", "minimum" => rules[:minimum].to_i, "maximum" => rules[:maximum].to_i }
    when :decimal then decimal_schema(rules, input: input)
    else { "type" => "boolean" }
    end
  end

  def decimal_schema(rules, input:)
    sign = BigDecimal(rules[:minimum]).negative? ? "-?" : ""
    text = { "type" => "string", "pattern" => "^#{sign}[0-9]{1,#{DECIMAL_DIGITS}}(\\.[0-9]{1,2})?$",
             "examples" => ["19.99"] }
    return { "type" => "string", "pattern" => "^-?[0-9]+(\\.[0-9]+)?$", "examples" => ["19.99"] } unless input

    number = { "type" => "number", "minimum" => json_number(rules[:minimum]),
               "maximum" => json_number(rules[:maximum]) }
    { "anyOf" => [number, text] }
  end

  def json_number(text)
    text.include?(".") ? text.to_f : text.to_i
  end
end
