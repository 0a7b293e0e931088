#include "gui/timeline_widget.hpp"

#include <QKeyEvent>
#include <QMouseEvent>
#include <QPainter>
#include <QToolTip>
#include <QWheelEvent>
#include <cmath>

#include "core/time.hpp"

namespace goesvfi::gui {

using catalog::SlotState;

namespace {
constexpr int k_height = 56, k_axis = 18;
// Which state shows when several slots share a pixel column: problems before presence.
int severity(SlotState s) {
  switch (s) {
    case SlotState::Present:
      return 0;
    case SlotState::Duplicate:
      return 1;
    case SlotState::Unreadable:
      return 2;
    case SlotState::Missing:
      return 3;
  }
  return 0;
}
}  // namespace

TimelineWidget::TimelineWidget(QWidget* parent) : QWidget(parent) {
  setMouseTracking(true);
  setFocusPolicy(Qt::StrongFocus);
  setMinimumHeight(k_height + k_axis);
  setAccessibleName(tr("Timeline of expected scans"));
}

QColor TimelineWidget::colour(SlotState state) {
  switch (state) {
    case SlotState::Present:
      return {46, 160, 67};
    case SlotState::Missing:
      return {214, 48, 49};
    case SlotState::Duplicate:
      return {240, 160, 30};
    case SlotState::Unreadable:
      return {142, 68, 173};
  }
  return Qt::gray;
}

void TimelineWidget::set_slots(std::vector<catalog::SlotStatus> slots) {
  m_slots = std::move(slots);
  relayout();
}

void TimelineWidget::set_pixels_per_slot(double pixels) {
  m_pps = std::clamp(pixels, 0.01, 400.0);
  relayout();
}

void TimelineWidget::zoom(double factor) {
  set_pixels_per_slot(m_pps * factor);
}

void TimelineWidget::relayout() {
  setFixedWidth(std::max(200, static_cast<int>(std::ceil(static_cast<double>(m_slots.size()) * m_pps)) + 2));
  update();
}

QSize TimelineWidget::sizeHint() const {
  return {width(), k_height + k_axis};
}

int TimelineWidget::slot_at(int x) const {
  if (m_slots.empty() || x < 0) return -1;
  const auto i = static_cast<std::size_t>(x / m_pps);
  return i < m_slots.size() ? static_cast<int>(i) : -1;
}

QString TimelineWidget::describe_slot(int index) const {
  if (index < 0 || static_cast<std::size_t>(index) >= m_slots.size()) return {};
  const auto& s = m_slots[static_cast<std::size_t>(index)];
  QString text = QString::fromStdString(format_iso(s.time)) + "  " +
                 QString::fromStdString(std::string(to_string(s.state)));
  for (const auto& f : s.files) text += "\n" + QString::fromStdString(f);
  return text;
}

void TimelineWidget::paintEvent(QPaintEvent* event) {
  QPainter p(this);
  p.fillRect(rect(), palette().base());
  if (m_slots.empty()) {
    p.setPen(palette().color(QPalette::PlaceholderText));
    p.drawText(rect(), Qt::AlignCenter, tr("Check a folder to see its timeline"));
    return;
  }
  // One column per pixel (zoomed out) or one rectangle per slot (zoomed in); only the exposed part.
  const int x0 = event->rect().left(), x1 = event->rect().right();
  if (m_pps >= 1.0) {
    const int first = std::max(0, static_cast<int>(x0 / m_pps) - 1);
    const int last = std::min(static_cast<int>(m_slots.size()) - 1, static_cast<int>(x1 / m_pps) + 1);
    for (int i = first; i <= last; ++i) {
      const double x = i * m_pps;
      const double w = m_pps >= 3 ? m_pps - 1 : m_pps;
      p.fillRect(QRectF(x, 0, w, k_height), colour(m_slots[static_cast<std::size_t>(i)].state));
    }
  } else {
    for (int x = std::max(0, x0); x <= x1; ++x) {
      const auto a = static_cast<std::size_t>(x / m_pps), b = static_cast<std::size_t>((x + 1) / m_pps);
      if (a >= m_slots.size()) break;
      SlotState worst = SlotState::Present;
      for (std::size_t i = a; i < std::min(b, m_slots.size()); ++i)
        if (severity(m_slots[i].state) > severity(worst)) worst = m_slots[i].state;
      p.fillRect(QRect(x, 0, 1, k_height), colour(worst));
    }
  }
  // Time axis: a tick and a label "MM-DD hh:mm" every few slots, labels never overlapping.
  p.setPen(palette().color(QPalette::Text));
  const double label = fontMetrics().horizontalAdvance("00-00 00:00") + 16;
  const int step = std::max(1, static_cast<int>(std::ceil(label / m_pps)));
  for (std::size_t i = 0; i < m_slots.size(); i += static_cast<std::size_t>(step)) {
    const int x = static_cast<int>(static_cast<double>(i) * m_pps);
    if (x < x0 - label || x > x1 + 10) continue;
    p.drawLine(x, k_height, x, k_height + 4);
    const std::string iso = format_iso(m_slots[i].time);  // 2024-05-01T12:00:00Z
    p.drawText(x + 2, k_height + k_axis - 3,
               QString::fromStdString(iso.substr(5, 5) + " " + iso.substr(11, 5)));
  }
}

void TimelineWidget::mouseMoveEvent(QMouseEvent* e) {
  const int i = slot_at(static_cast<int>(e->position().x()));
  if (i < 0) {
    QToolTip::hideText();
    return;
  }
  QToolTip::showText(e->globalPosition().toPoint(), describe_slot(i), this);
}

void TimelineWidget::wheelEvent(QWheelEvent* e) {
  if (!(e->modifiers() & Qt::ControlModifier)) return QWidget::wheelEvent(e);
  zoom(e->angleDelta().y() > 0 ? 1.5 : 1 / 1.5);
  e->accept();
}

void TimelineWidget::keyPressEvent(QKeyEvent* e) {
  if (e->key() == Qt::Key_Plus || e->key() == Qt::Key_Equal)
    zoom(1.5);
  else if (e->key() == Qt::Key_Minus)
    zoom(1 / 1.5);
  else
    QWidget::keyPressEvent(e);
}

}  // namespace goesvfi::gui
