package dev.meridian.adapter.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.meridian.adapter.AwsClients;
import dev.meridian.adapter.Wiring;
import dev.meridian.config.MeridianConfig;
import java.time.Clock;
import java.util.List;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.autoconfigure.http.HttpMessageConvertersAutoConfiguration;
import org.springframework.boot.autoconfigure.web.servlet.DispatcherServletAutoConfiguration;
import org.springframework.boot.autoconfigure.web.servlet.WebMvcAutoConfiguration;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.ApplicationContext;
import org.springframework.context.ApplicationContextAware;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.core.Ordered;
import org.springframework.web.method.support.HandlerMethodArgumentResolver;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * What every Meridian Spring function shares: Spring MVC (only the three auto-configurations it
 * needs, no classpath scanning), strict JSON, the error advice, the request filters, the
 * {@link Caller} parameter, and the container's {@link Wiring}.
 */
@Configuration(proxyBeanMethods = false)
@ImportAutoConfiguration({DispatcherServletAutoConfiguration.class, WebMvcAutoConfiguration.class,
    HttpMessageConvertersAutoConfiguration.class})
@Import(ApiErrorAdvice.class)
public class HttpApiConfiguration implements WebMvcConfigurer, ApplicationContextAware {

  /**
   * Built once per container, in the init phase: from the environment in Lambda, or the Wiring a
   * test handed to {@link HttpApiFunction#start}.
   */
  @Bean
  public Wiring wiring() {
    return HttpApiFunction.injectedWiring().orElseGet(() -> {
      MeridianConfig config = MeridianConfig.fromEnvironment();
      return new Wiring(config, AwsClients.forApi(DynamoDbClient.builder(), config.region()), Clock.systemUTC());
    });
  }

  @Bean
  public ObjectMapper objectMapper() {
    return StrictJson.mapper();
  }

  @Bean
  public FilterRegistrationBean<RequestLogFilter> requestLogFilter() {
    FilterRegistrationBean<RequestLogFilter> registration = new FilterRegistrationBean<>(new RequestLogFilter());
    registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
    return registration;
  }

  @Bean
  public FilterRegistrationBean<BodyLimitFilter> bodyLimitFilter(ObjectMapper objectMapper) {
    FilterRegistrationBean<BodyLimitFilter> registration = new FilterRegistrationBean<>(new BodyLimitFilter(objectMapper));
    registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 1);
    return registration;
  }

  @Override
  public void addInterceptors(InterceptorRegistry registry) {
    registry.addInterceptor(new AccessInterceptor());
  }

  @Override
  public void addArgumentResolvers(List<HandlerMethodArgumentResolver> resolvers) {
    resolvers.add(new CallerArgumentResolver());
  }

  @Override
  public void setApplicationContext(ApplicationContext context) {
    HttpApiFunction.attach(context);
  }
}
