// A frame shown scaled to fit, on which the user draws the crop rectangle with the mouse (press, drag,
// release); the rectangle is in image pixels. Arrow keys move it by one pixel (Shift: resize), so it is
// keyboard operable too.
#pragma once

#include <QImage>
#include <QPixmap>
#include <QRect>
#include <QWidget>
#include <optional>

namespace goesvfi::gui {

class CropView : public QWidget {
  Q_OBJECT
 public:
  explicit CropView(QWidget* parent = nullptr);
  void set_image(const QImage& image);  // keeps the crop
  const QImage& image() const { return m_image; }
  std::optional<QRect> crop() const { return m_crop; }
  void set_crop(std::optional<QRect> crop);  // from the numeric fields; does not emit
  // Where the image is drawn in widget coordinates, and the mapping between the two.
  QRectF image_area() const;
  QPointF to_image(QPointF widget_point) const;
  QPointF to_widget(QPointF image_point) const;
  QSize sizeHint() const override { return {640, 400}; }

 Q_SIGNALS:
  void crop_drawn(const QRect& crop);  // in image pixels, as the user drew it

 protected:
  void paintEvent(QPaintEvent*) override;
  void mousePressEvent(QMouseEvent*) override;
  void mouseMoveEvent(QMouseEvent*) override;
  void mouseReleaseEvent(QMouseEvent*) override;
  void keyPressEvent(QKeyEvent*) override;

 private:
  QRect rect_from_drag(QPointF a, QPointF b) const;
  QImage m_image;
  QPixmap m_scaled;  // m_image scaled to the widget once, not at every repaint
  std::optional<QRect> m_crop;
  std::optional<QPointF> m_anchor;  // image point where the drag started
};

}  // namespace goesvfi::gui
