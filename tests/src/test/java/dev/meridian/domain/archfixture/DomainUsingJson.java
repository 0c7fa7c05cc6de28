package dev.meridian.domain.archfixture;

import com.fasterxml.jackson.databind.ObjectMapper;

/** Breaks the architecture on purpose (ArchitectureRulesTest): the domain reaching for a JSON library. */
public final class DomainUsingJson {
  public String render(Object value) throws Exception {
    return new ObjectMapper().writeValueAsString(value);
  }
}
