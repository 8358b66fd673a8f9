{#-
    Whether a raw value may be quoted in a data-quality message.

    A bad value helps the borough find it ('XXXX' is not an Ethnicity code),
    but a value in the wrong item may be an identifier: a SWE number, a birth
    date or a pseudonym. Those are never quoted. "Looks like an identifier":
      - a SWE number: two letters then four or more digits, any case, with
        anything but letters and digits allowed between them ('SW9876543',
        'sw 987 6543', 'SW-987-6543', a no-break space: DuckDB's \s is ASCII
        only); no word boundaries, so it also holds inside longer text;
      - a date: yyyy-mm-dd, dd/mm/yyyy, dd.mm.yy (any of - / . as separator,
        spaces around it allowed), or a day, month name and year
        ('4 Jan 1967', 'January 4, 1967');
      - a run of five or more digits (yyyymmdd, ddmmyyyy, a SWE number without
        its letters) unless the whole value is a plain decimal number with at
        most four digits before the point ('0.1234567');
      - a run of sixteen or more hexadecimal characters (a SHA-256 pseudonym
        is 64).
    The whole value is screened, not just the part that would be quoted.
-#}
{% macro looks_like_identifier(expr) -%}
    (
        regexp_matches({{ expr }}, '(?i)[a-z]{2}[^a-z0-9]*[0-9]([^a-z0-9]*[0-9]){3,}')
        or regexp_matches({{ expr }}, '[0-9]{4}\s*[-/.]\s*[0-9]{1,2}\s*[-/.]\s*[0-9]{1,2}')
        or regexp_matches({{ expr }}, '[0-9]{1,2}\s*[-/.]\s*[0-9]{1,2}\s*[-/.]\s*[0-9]{2,4}')
        or regexp_matches(
            {{ expr }},
            '(?i)[0-9]{1,2}(st|nd|rd|th)?[\s.,/-]*(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*[\s.,/-]*[0-9]{2,4}'
        )
        or regexp_matches(
            {{ expr }},
            '(?i)(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*[\s.,/-]*[0-9]{1,2}(st|nd|rd|th)?[\s.,/-]+[0-9]{4}'
        )
        or (
            regexp_matches({{ expr }}, '[0-9]{5,}')
            and not regexp_full_match(trim({{ expr }}), '[-+]?[0-9]{0,4}\.[0-9]+')
        )
        or regexp_matches({{ expr }}, '(?i)[0-9a-f]{16,}')
    )
{%- endmacro %}

{#-
    The text a message quotes for a raw value: the value's first max_length
    characters in single quotes, or '[value withheld: looks like an
    identifier]' when looks_like_identifier holds. Null stays null.
    Tested by tests/dbt/macros/test_quotable_value.sql.
-#}
{% macro quotable_value(expr, max_length=30) -%}
    case
        when {{ expr }} is null then null
        when {{ expr }} = '{{ withheld_identifier_marker() }}' then {{ expr }}
        when {{ looks_like_identifier(expr) }} then '[value withheld: looks like an identifier]'
        else '''' || left({{ expr }}, {{ max_length }}) || ''''
    end
{%- endmacro %}

{#-
    What staging puts in place of a value that is one of landing's raw
    identifiers but arrived in another item (see stg_csww__worker_items).
-#}
{% macro withheld_identifier_marker() -%}
    [withheld: an SWE number or birth date in the wrong item]
{%- endmacro %}
