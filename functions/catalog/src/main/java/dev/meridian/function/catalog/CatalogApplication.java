package dev.meridian.function.catalog;

import dev.meridian.adapter.http.HttpApiConfiguration;
import dev.meridian.application.catalog.CatalogService;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.context.annotation.Import;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * The catalog's Spring application: the shared HTTP setup, one controller, nothing scanned, and
 * the replace route's preconditions evaluated before its body is read ({@link PreconditionsFirst},
 * after the shared access check).
 */
@SpringBootConfiguration(proxyBeanMethods = false)
@Import({HttpApiConfiguration.class, CatalogController.class})
public class CatalogApplication implements WebMvcConfigurer {
  private final ObjectProvider<CatalogService> catalog;

  CatalogApplication(ObjectProvider<CatalogService> catalog) {
    this.catalog = catalog;
  }

  @Override
  public void addInterceptors(InterceptorRegistry registry) {
    registry.addInterceptor(new PreconditionsFirst(catalog.getObject())).order(1);
  }
}
