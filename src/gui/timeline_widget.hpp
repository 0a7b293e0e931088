// The Integrity page's timeline: one cell per expected scan slot, coloured present / missing / duplicate /
// unreadable. Zoom (Ctrl+wheel, +/-, or set_pixels_per_slot) from a whole range down to a few slots per
// screen inside a scroll area; hovering shows the slot's time, state and file.
#pragma once

#include <QWidget>
#include <vector>

#include "catalog/check.hpp"

namespace goesvfi::gui {

class TimelineWidget : public QWidget {
  Q_OBJECT
 public:
  explicit TimelineWidget(QWidget* parent = nullptr);
  void set_slots(std::vector<catalog::SlotStatus> slots);
  const std::vector<catalog::SlotStatus>& slots() const { return m_slots; }
  // Zoom: width of one slot in pixels (fractions: several slots share a pixel column; the worst state wins).
  void set_pixels_per_slot(double pixels);
  double pixels_per_slot() const { return m_pps; }
  void zoom(double factor);
  // The slot under x (widget coordinates), or -1; and its hover text.
  int slot_at(int x) const;
  QString describe_slot(int index) const;
  static QColor colour(catalog::SlotState state);
  QSize sizeHint() const override;

 protected:
  void paintEvent(QPaintEvent*) override;
  void mouseMoveEvent(QMouseEvent*) override;
  void wheelEvent(QWheelEvent*) override;
  void keyPressEvent(QKeyEvent*) override;

 private:
  void relayout();
  std::vector<catalog::SlotStatus> m_slots;
  double m_pps = 4.0;
};

}  // namespace goesvfi::gui
