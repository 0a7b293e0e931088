#include "gui/crop_view.hpp"

#include <QKeyEvent>
#include <QMouseEvent>
#include <QPainter>
#include <QPainterPath>
#include <cmath>

namespace goesvfi::gui {

CropView::CropView(QWidget* parent) : QWidget(parent) {
  setFocusPolicy(Qt::StrongFocus);
  setMouseTracking(false);
  setMinimumSize(240, 160);
  setAccessibleName(tr("Frame preview: drag to draw the crop rectangle"));
}

void CropView::set_image(const QImage& image) {
  m_image = image;
  m_scaled = QPixmap();
  update();
}

void CropView::set_crop(std::optional<QRect> crop) {
  m_crop = crop;
  update();
}

QRectF CropView::image_area() const {
  if (m_image.isNull()) return {};
  const double scale = std::min(width() / static_cast<double>(m_image.width()),
                                height() / static_cast<double>(m_image.height()));
  const double w = m_image.width() * scale, h = m_image.height() * scale;
  return {(width() - w) / 2.0, (height() - h) / 2.0, w, h};
}

QPointF CropView::to_image(QPointF p) const {
  const QRectF area = image_area();
  if (area.isEmpty()) return {};
  const double scale = area.width() / m_image.width();
  return {(p.x() - area.left()) / scale, (p.y() - area.top()) / scale};
}

QPointF CropView::to_widget(QPointF p) const {
  const QRectF area = image_area();
  if (area.isEmpty()) return {};
  const double scale = area.width() / m_image.width();
  return {area.left() + p.x() * scale, area.top() + p.y() * scale};
}

QRect CropView::rect_from_drag(QPointF a, QPointF b) const {
  auto clamp_x = [this](double v) {
    return std::clamp(static_cast<int>(std::lround(v)), 0, m_image.width());
  };
  auto clamp_y = [this](double v) {
    return std::clamp(static_cast<int>(std::lround(v)), 0, m_image.height());
  };
  const int x0 = clamp_x(std::min(a.x(), b.x())), x1 = clamp_x(std::max(a.x(), b.x()));
  const int y0 = clamp_y(std::min(a.y(), b.y())), y1 = clamp_y(std::max(a.y(), b.y()));
  return {x0, y0, x1 - x0, y1 - y0};
}

void CropView::paintEvent(QPaintEvent*) {
  QPainter p(this);
  p.fillRect(rect(), QColor(32, 32, 32));
  if (m_image.isNull()) {
    p.setPen(QColor(160, 160, 160));
    p.drawText(rect(), Qt::AlignCenter, tr("Choose an input folder to see its frames"));
    return;
  }
  const QRectF area = image_area();
  const QSize device = (area.size() * devicePixelRatioF()).toSize();
  if (m_scaled.size() != device) {
    m_scaled = QPixmap::fromImage(m_image.scaled(device, Qt::IgnoreAspectRatio, Qt::SmoothTransformation));
    m_scaled.setDevicePixelRatio(devicePixelRatioF());
  }
  p.drawPixmap(area.topLeft(), m_scaled);
  if (m_crop && !m_crop->isEmpty()) {
    const QRectF r(to_widget(m_crop->topLeft()),
                   to_widget(m_crop->topLeft() + QPointF(m_crop->width(), m_crop->height())));
    // Darken what the crop leaves out.
    QPainterPath outside;
    outside.addRect(area);
    QPainterPath inside;
    inside.addRect(r);
    p.fillPath(outside.subtracted(inside), QColor(0, 0, 0, 120));
    p.setPen(QPen(QColor(255, 200, 0), 2));
    p.drawRect(r);
  }
}

void CropView::mousePressEvent(QMouseEvent* e) {
  if (m_image.isNull() || e->button() != Qt::LeftButton) return;
  m_anchor = to_image(e->position());
}

void CropView::mouseMoveEvent(QMouseEvent* e) {
  if (!m_anchor) return;
  m_crop = rect_from_drag(*m_anchor, to_image(e->position()));
  update();
}

void CropView::mouseReleaseEvent(QMouseEvent* e) {
  if (!m_anchor || e->button() != Qt::LeftButton) return;
  const QRect r = rect_from_drag(*m_anchor, to_image(e->position()));
  m_anchor.reset();
  if (r.width() < 2 || r.height() < 2) return;  // a click, not a drag
  m_crop = r;
  update();
  Q_EMIT crop_drawn(r);
}

void CropView::keyPressEvent(QKeyEvent* e) {
  if (!m_crop) return QWidget::keyPressEvent(e);
  QRect r = *m_crop;
  const bool resize = e->modifiers() & Qt::ShiftModifier;
  int dx = 0, dy = 0;
  switch (e->key()) {
    case Qt::Key_Left:
      dx = -1;
      break;
    case Qt::Key_Right:
      dx = 1;
      break;
    case Qt::Key_Up:
      dy = -1;
      break;
    case Qt::Key_Down:
      dy = 1;
      break;
    default:
      return QWidget::keyPressEvent(e);
  }
  if (resize)
    r.setSize(QSize(std::max(1, r.width() + dx), std::max(1, r.height() + dy)));
  else
    r.translate(dx, dy);
  m_crop = r;
  update();
  Q_EMIT crop_drawn(r);
}

}  // namespace goesvfi::gui
