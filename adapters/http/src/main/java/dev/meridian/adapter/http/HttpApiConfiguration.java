package dev.meridian.adapter.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.springframework.beans.factory.config.BeanFactoryPostProcessor;
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

/**
 * What every Meridian Spring function shares: Spring MVC (only the three auto-configurations it
 * needs, no classpath scanning), strict JSON, the error advice, the request filters, the
 * {@link Caller} parameter, and the use cases the function was started with.
 */
@Configuration(proxyBeanMethods = false)
@ImportAutoConfiguration({DispatcherServletAutoConfiguration.class, WebMvcAutoConfiguration.class,
    HttpMessageConvertersAutoConfiguration.class})
@Import(ApiErrorAdvice.class)
public class HttpApiConfiguration implements WebMvcConfigurer, ApplicationContextAware {

  /**
   * The use cases {@link HttpApiFunction#start} was given, as singletons the controllers are built
   * with (by type). Static, so they exist before any controller is created.
   */
  @Bean
  public static BeanFactoryPostProcessor useCases() {
    List<Object> useCases = HttpApiFunction.startingUseCases();
    return factory -> useCases.forEach(useCase -> factory.registerSingleton(useCase.getClass().getName(), useCase));
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
    registry.addInterceptor(new AccessInterceptor(HttpApiFunction.startingServices().access()));
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
